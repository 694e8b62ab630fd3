// Usage: a daily chart per model on top, then the log, newest first (server order), paged with a cursor. Cost is
// integer credits shown as USD.
import { useQuery } from '@apollo/client/react';
import type { Column } from '../../components/data-table';
import { PagedTableCard } from '../../components/paged-table-card';
import { StatusBadge } from '../../components/status-badge';
import type { UsageLogsQuery as UsageLogsQueryResult } from '../../gql/graphql';
import { useI18n } from '../../i18n/i18n-context';
import { UsageChartCard } from './usage-chart-card';
import { AttemptsCell, CostCell, TagsCell } from './usage-log-details';
import { UsageLogsQuery } from './usage.documents';

type UsageRow = UsageLogsQueryResult['usageLogs']['edges'][number]['node'];

const PAGE_SIZE = 50;

export function UsagePage() {
  const { t, formatDateTime } = useI18n();
  const { data, loading, error, fetchMore } = useQuery(UsageLogsQuery, {
    variables: { first: PAGE_SIZE },
    fetchPolicy: 'cache-and-network',
  });
  const rows = data?.usageLogs.edges.map((edge) => edge.node) ?? [];
  const pageInfo = data?.usageLogs.pageInfo;

  const columns: Column<UsageRow>[] = [
    { key: 'time', header: t('usage.time'), render: (row) => formatDateTime(row.createdAt), nowrap: true },
    { key: 'model', header: t('usage.model'), render: (row) => row.model },
    {
      key: 'endpoint',
      header: t('usage.endpoint'),
      render: (row) => (
        <span className="monospace">
          {row.endpoint}
          {row.stream ? <span className="tag">{t('usage.stream')}</span> : null}
        </span>
      ),
    },
    {
      key: 'status',
      header: t('common.status'),
      render: (row) => (
        <>
          <StatusBadge status={row.status} /> <span className="muted">{row.httpStatus}</span>
        </>
      ),
    },
    { key: 'attempts', header: t('usage.attempts'), render: (row) => <AttemptsCell attempts={row.attempts} /> },
    {
      key: 'tokens',
      header: t('usage.tokens'),
      numeric: true,
      render: (row) => `${row.promptTokens} / ${row.completionTokens}`,
    },
    { key: 'cost', header: t('usage.cost'), numeric: true, render: (row) => <CostCell row={row} /> },
    { key: 'tags', header: t('usage.tags'), render: (row) => <TagsCell tags={row.tags} /> },
    {
      key: 'duration',
      header: t('usage.duration'),
      numeric: true,
      render: (row) => t('usage.durationMs', { ms: row.durationMs }),
    },
  ];

  const loadNextPage = () => fetchMore({ variables: { first: PAGE_SIZE, after: pageInfo?.endCursor } });

  return (
    <section className="page">
      <h1>{t('usage.title')}</h1>
      <UsageChartCard />
      <PagedTableCard
        error={error}
        loadingFirstPage={loading && !data}
        hasNextPage={pageInfo?.hasNextPage ?? false}
        loadNextPage={loadNextPage}
        caption={t('usage.title')}
        columns={columns}
        rows={rows}
        rowKey={(row) => row.id}
        emptyText={t('usage.empty')}
      />
    </section>
  );
}
