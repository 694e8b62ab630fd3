// Imports one-api / new-api ratio JSON (admin): preview first, with which models exist and which would change, then
// apply.
import { useMutation } from '@apollo/client/react';
import { useId, useState } from 'react';
import { DataTable, type Column } from '../../components/data-table';
import { ErrorBanner } from '../../components/error-banner';
import { TextAreaField } from '../../components/form-fields';
import type { ImportPriceRatiosMutation as ImportResult } from '../../gql/graphql';
import { useI18n } from '../../i18n/i18n-context';
import { formatUsdShort } from '../../lib/usd';
import { ImportPriceRatiosMutation, ModelPricesQuery } from './prices.documents';

type ImportedRow = ImportResult['importPriceRatios']['prices'][number];

export function PriceImportCard() {
  const { t } = useI18n();
  const headingId = useId();
  const [document, setDocument] = useState('');
  const [result, setResult] = useState<ImportResult['importPriceRatios'] | null>(null);
  const [importRatios, { loading, error, reset }] = useMutation(ImportPriceRatiosMutation, {
    refetchQueries: [ModelPricesQuery],
  });
  const optionalUsd = (credits: number | null | undefined) => (credits === null || credits === undefined ? t('prices.sameAsInput') : formatUsdShort(credits));

  async function run(apply: boolean) {
    try {
      const response = await importRatios({ variables: { input: { document, apply } } });
      setResult(response.data?.importPriceRatios ?? null);
    } catch {
      setResult(null);
    }
  }

  const columns: Column<ImportedRow>[] = [
    { key: 'model', header: t('prices.model'), render: (row) => row.model },
    { key: 'input', header: t('prices.inputColumn'), numeric: true, render: (row) => formatUsdShort(row.inputPerMillion) },
    { key: 'output', header: t('prices.outputColumn'), numeric: true, render: (row) => formatUsdShort(row.outputPerMillion) },
    { key: 'cacheRead', header: t('prices.cacheReadColumn'), numeric: true, render: (row) => optionalUsd(row.cacheReadPerMillion) },
    { key: 'cacheWrite', header: t('prices.cacheWriteColumn'), numeric: true, render: (row) => optionalUsd(row.cacheWritePerMillion) },
    { key: 'perCall', header: t('prices.perCallColumn'), numeric: true, render: (row) => formatUsdShort(row.perCall) },
    {
      key: 'flags',
      header: t('prices.importEffect'),
      render: (row) =>
        !row.existing ? (
          <span className="badge badge--good">{t('prices.flagNew')}</span>
        ) : row.changed ? (
          <span className="badge badge--bad">{t('prices.flagChanged')}</span>
        ) : (
          <span className="badge badge--muted">{t('prices.flagUnchanged')}</span>
        ),
    },
  ];

  return (
    <section className="card form" aria-labelledby={headingId}>
      <h2 id={headingId}>{t('prices.importTitle')}</h2>
      <ErrorBanner error={error} onDismiss={reset} />
      <TextAreaField
        label={t('prices.importDocument')}
        hint={t('prices.importHint')}
        rows={6}
        monospace
        value={document}
        onChange={(value) => {
          setDocument(value);
          setResult(null);
        }}
      />
      <div className="form__actions form__actions--spaced">
        <button type="button" className="button" disabled={loading || document.trim() === ''} onClick={() => void run(false)}>
          {t('prices.preview')}
        </button>
        <button
          type="button"
          className="button button--primary"
          disabled={loading || result === null || result.applied}
          onClick={() => void run(true)}
        >
          {t('prices.apply')}
        </button>
      </div>
      {result ? (
        <div className="import-result">
          <p role="status" className={result.applied ? 'notice' : 'muted'}>
            {result.applied
              ? t('prices.importApplied', { count: result.prices.length })
              : t('prices.importPreview', { count: result.prices.length })}
          </p>
          <DataTable
            caption={t('prices.importPreviewCaption')}
            columns={columns}
            rows={result.prices}
            rowKey={(row) => row.model}
            emptyText={t('prices.importEmpty')}
          />
          {result.groupMultipliers.length > 0 ? (
            <p className="muted">
              {t('prices.importGroups', {
                groups: result.groupMultipliers.map((entry) => `${entry.group} × ${entry.multiplier}`).join(', '),
              })}
            </p>
          ) : null}
        </div>
      ) : null}
    </section>
  );
}
