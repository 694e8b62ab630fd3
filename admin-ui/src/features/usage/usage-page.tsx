// Usage log, newest first (server order), paged with a cursor; cost is integer credits shown as USD.
import { useQuery } from '@apollo/client/react';
import type { Column } from '../../components/data-table';
import { PagedTableCard } from '../../components/paged-table-card';
import { StatusBadge } from '../../components/status-badge';
import { graphql } from '../../gql';
import type { UsageLogsQuery as UsageLogsQueryResult } from '../../gql/graphql';
import { useI18n } from '../../i18n/i18n-context';
import { formatCreditsAsUsd } from '../../lib/contract';

const UsageLogsQuery = graphql(`
  query UsageLogs($first: Int, $after: String) {
    usageLogs(first: $first, after: $after) {
      edges {
        cursor
        node {
          id
          requestId
          model
          endpoint
          stream
          status
          httpStatus
          promptTokens
          completionTokens
          estimated
          cost
          durationMs
          createdAt
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

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
    {
      key: 'tokens',
      header: t('usage.tokens'),
      numeric: true,
      render: (row) => `${row.promptTokens} / ${row.completionTokens}`,
    },
    {
      key: 'cost',
      header: t('usage.cost'),
      numeric: true,
      render: (row) => (
        <>
          {formatCreditsAsUsd(row.cost)}
          {row.estimated ? <span className="tag">{t('usage.estimated')}</span> : null}
        </>
      ),
    },
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
