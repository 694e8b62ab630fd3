// Vouchers (admin): create a batch, see the codes once, list every voucher, export a batch's codes as CSV.
import { useApolloClient, useQuery } from '@apollo/client/react';
import { useState } from 'react';
import type { Column } from '../../components/data-table';
import { ErrorBanner } from '../../components/error-banner';
import { PagedTableCard } from '../../components/paged-table-card';
import { StatusBadge } from '../../components/status-badge';
import type { VoucherFieldsFragment } from '../../gql/graphql';
import { useI18n } from '../../i18n/i18n-context';
import { formatUsdShort } from '../../lib/usd';
import { downloadText } from './download-text';
import { VoucherCreateForm, type CreatedBatch } from './voucher-create-form';
import { VoucherBatchCsvQuery, VouchersQuery } from './vouchers.documents';

const PAGE_SIZE = 50;

export function VouchersPage() {
  const { t, formatDateTime } = useI18n();
  const client = useApolloClient();
  const [created, setCreated] = useState<CreatedBatch | null>(null);
  const [exportError, setExportError] = useState<unknown>(null);
  const { data, loading, error, fetchMore } = useQuery(VouchersQuery, { variables: { first: PAGE_SIZE }, fetchPolicy: 'cache-and-network' });
  const rows = data?.vouchers.edges.map((edge) => edge.node) ?? [];
  const pageInfo = data?.vouchers.pageInfo;

  async function exportBatch(batchId: string) {
    setExportError(null);
    try {
      // network-only: the CSV holds redemption counts, which change.
      const result = await client.query({ query: VoucherBatchCsvQuery, variables: { batchId }, fetchPolicy: 'network-only' });
      if (result.data) downloadText(`vouchers-${batchId}.csv`, result.data.voucherBatchCsv);
    } catch (failure) {
      setExportError(failure);
    }
  }

  const columns: Column<VoucherFieldsFragment>[] = [
    { key: 'code', header: t('vouchers.code'), nowrap: true, render: (voucher) => <code className="monospace">{voucher.codeHint}</code> },
    {
      key: 'value',
      header: t('vouchers.value'),
      render: (voucher) => (voucher.kind === 'PLAN' ? t('vouchers.planValue', { planId: voucher.planId ?? '' }) : formatUsdShort(voucher.amount)),
    },
    {
      key: 'redemptions',
      header: t('vouchers.redemptions'),
      numeric: true,
      render: (voucher) => `${voucher.redemptionCount} / ${voucher.maxRedemptions ?? '∞'}`,
    },
    { key: 'groups', header: t('vouchers.groupsColumn'), render: (voucher) => voucher.groups?.join(', ') ?? t('vouchers.anyGroup') },
    { key: 'expires', header: t('tokens.expires'), nowrap: true, render: (voucher) => (voucher.expiresAt ? formatDateTime(voucher.expiresAt) : t('common.never')) },
    { key: 'status', header: t('common.status'), render: (voucher) => <StatusBadge status={voucher.status} /> },
    {
      key: 'actions',
      header: t('common.actions'),
      nowrap: true,
      render: (voucher) => (
        <button type="button" className="button button--small" aria-label={`${t('vouchers.exportCsv')} ${voucher.codeHint}`} onClick={() => void exportBatch(voucher.batchId)}>
          {t('vouchers.exportCsv')}
        </button>
      ),
    },
  ];

  return (
    <section className="page">
      <h1>{t('vouchers.title')}</h1>
      <VoucherCreateForm onCreated={setCreated} />
      {created ? (
        <section className="card" aria-label={t('vouchers.createdTitle')}>
          <h2>{t('vouchers.createdTitle')}</h2>
          <p className="warning">{t('vouchers.createdWarning')}</p>
          <ul className="monospace" aria-label={t('vouchers.codes')}>
            {created.codes.map((code) => (
              <li key={code}>{code}</li>
            ))}
          </ul>
          <div className="form__actions">
            <button type="button" className="button" onClick={() => void exportBatch(created.batchId)}>
              {t('vouchers.downloadBatch')}
            </button>
            <button type="button" className="button button--ghost" onClick={() => setCreated(null)}>
              {t('common.close')}
            </button>
          </div>
        </section>
      ) : null}
      <ErrorBanner error={exportError} onDismiss={() => setExportError(null)} />
      <PagedTableCard
        heading={t('vouchers.listTitle')}
        error={error}
        loadingFirstPage={loading && !data}
        hasNextPage={pageInfo?.hasNextPage ?? false}
        loadNextPage={() => fetchMore({ variables: { first: PAGE_SIZE, after: pageInfo?.endCursor } })}
        caption={t('vouchers.listTitle')}
        columns={columns}
        rows={rows}
        rowKey={(voucher) => voucher.id}
        emptyText={t('vouchers.empty')}
      />
    </section>
  );
}
