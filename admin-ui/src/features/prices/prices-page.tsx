// Model prices in USD per 1M tokens. Everyone may read them and use the quote; admins set, import and delete.
import { useQuery } from '@apollo/client/react';
import { useState } from 'react';
import { DataTable, type Column } from '../../components/data-table';
import { ErrorBanner } from '../../components/error-banner';
import type { ModelPriceFieldsFragment } from '../../gql/graphql';
import { useI18n } from '../../i18n/i18n-context';
import { formatUsdShort } from '../../lib/usd';
import { DefaultPricesCard } from './default-prices-card';
import { DeletePriceDialog } from './delete-price-dialog';
import { PriceForm } from './price-form';
import { PriceImportCard } from './price-import-card';
import { PriceQuoteCard } from './price-quote-card';
import { ModelPricesQuery } from './prices.documents';

export function PricesPage({ isAdmin }: { isAdmin: boolean }) {
  const { t, formatDateTime } = useI18n();
  const { data, loading, error } = useQuery(ModelPricesQuery, { fetchPolicy: 'cache-and-network' });
  const [editing, setEditing] = useState<ModelPriceFieldsFragment | null>(null);
  const [toDelete, setToDelete] = useState<string | null>(null);
  const [notice, setNotice] = useState('');
  const optionalUsd = (credits: number | null | undefined) => (credits === null || credits === undefined ? t('prices.sameAsInput') : formatUsdShort(credits));

  const columns: Column<ModelPriceFieldsFragment>[] = [
    { key: 'model', header: t('prices.model'), render: (price) => <span className="monospace">{price.model}</span> },
    { key: 'input', header: t('prices.inputColumn'), numeric: true, render: (price) => formatUsdShort(price.inputPerMillion) },
    { key: 'output', header: t('prices.outputColumn'), numeric: true, render: (price) => formatUsdShort(price.outputPerMillion) },
    { key: 'cacheRead', header: t('prices.cacheReadColumn'), numeric: true, render: (price) => optionalUsd(price.cacheReadPerMillion) },
    { key: 'cacheWrite', header: t('prices.cacheWriteColumn'), numeric: true, render: (price) => optionalUsd(price.cacheWritePerMillion) },
    { key: 'perCall', header: t('prices.perCallColumn'), numeric: true, render: (price) => formatUsdShort(price.perCall) },
    { key: 'updated', header: t('prices.updated'), nowrap: true, render: (price) => formatDateTime(price.updatedAt) },
  ];
  if (isAdmin) {
    columns.push({
      key: 'actions',
      header: t('common.actions'),
      nowrap: true,
      render: (price) => (
        <>
          <button type="button" className="button button--small" aria-label={`${t('common.edit')} ${price.model}`} onClick={() => setEditing(price)}>
            {t('common.edit')}
          </button>{' '}
          <button
            type="button"
            className="button button--danger button--small"
            aria-label={`${t('common.delete')} ${price.model}`}
            onClick={() => setToDelete(price.model)}
          >
            {t('common.delete')}
          </button>
        </>
      ),
    });
  }

  return (
    <section className="page">
      <h1>{t('prices.title')}</h1>
      <p className="muted">{t('prices.intro')}</p>
      {notice ? (
        <p className="notice" role="status">
          {notice}
        </p>
      ) : null}
      <section className="card">
        <h2>{t('prices.listTitle')}</h2>
        <ErrorBanner error={error} />
        {loading && !data ? (
          <p className="muted">{t('app.loading')}</p>
        ) : (
          <DataTable
            caption={t('prices.listTitle')}
            columns={columns}
            rows={data?.modelPrices ?? []}
            rowKey={(price) => price.model}
            emptyText={t('prices.empty')}
          />
        )}
      </section>
      {isAdmin ? (
        <PriceForm
          key={editing?.model ?? 'new'}
          price={editing}
          onSaved={(model) => {
            setNotice(t('prices.saved', { model }));
            setEditing(null);
          }}
        />
      ) : null}
      <PriceQuoteCard />
      {isAdmin ? (
        <>
          <PriceImportCard />
          <DefaultPricesCard />
          <DeletePriceDialog model={toDelete} onClose={() => setToDelete(null)} />
        </>
      ) : null}
    </section>
  );
}
