import { useQuery } from '@apollo/client/react';
import type { Column } from '../../components/data-table';
import { PagedTableCard } from '../../components/paged-table-card';
import { StatusBadge } from '../../components/status-badge';
import type { ChannelsQuery as ChannelsQueryResult } from '../../gql/graphql';
import { useI18n } from '../../i18n/i18n-context';
import { ChannelCreateForm } from './channel-create-form';
import { ChannelsQuery } from './channels.documents';

type ChannelRow = ChannelsQueryResult['channels']['edges'][number]['node'];

const PAGE_SIZE = 50;

export function ChannelsPage() {
  const { t, formatDateTime } = useI18n();
  const { data, loading, error, fetchMore } = useQuery(ChannelsQuery, {
    variables: { first: PAGE_SIZE },
    fetchPolicy: 'cache-and-network',
  });
  const rows = data?.channels.edges.map((edge) => edge.node) ?? [];
  const pageInfo = data?.channels.pageInfo;

  const columns: Column<ChannelRow>[] = [
    { key: 'name', header: t('common.name'), render: (row) => row.name, nowrap: true },
    { key: 'type', header: t('channels.typeColumn'), render: (row) => row.type, nowrap: true },
    { key: 'baseUrl', header: t('channels.baseUrl'), render: (row) => <span className="monospace">{row.baseUrl}</span> },
    { key: 'models', header: t('channels.modelsColumn'), render: (row) => row.models.join(', ') },
    { key: 'priority', header: t('channels.priority'), render: (row) => row.priority, numeric: true },
    { key: 'weight', header: t('channels.weight'), render: (row) => row.weight, numeric: true },
    { key: 'status', header: t('common.status'), render: (row) => <StatusBadge status={row.status} />, nowrap: true },
    {
      key: 'keys',
      header: t('channels.keysColumn'),
      nowrap: true,
      render: (row) => (
        <span className="monospace">
          {row.keyCount} · {row.keyHint}
        </span>
      ),
    },
    { key: 'created', header: t('common.created'), render: (row) => formatDateTime(row.createdAt), nowrap: true },
  ];

  const loadNextPage = () => fetchMore({ variables: { first: PAGE_SIZE, after: pageInfo?.endCursor } });

  return (
    <section className="page">
      <h1>{t('channels.title')}</h1>
      <ChannelCreateForm />
      <PagedTableCard
        heading={t('channels.listTitle')}
        error={error}
        loadingFirstPage={loading && !data}
        hasNextPage={pageInfo?.hasNextPage ?? false}
        loadNextPage={loadNextPage}
        caption={t('channels.listTitle')}
        columns={columns}
        rows={rows}
        rowKey={(row) => row.id}
        emptyText={t('channels.empty')}
      />
    </section>
  );
}
