import { useQuery } from '@apollo/client/react';
import { useState } from 'react';
import type { Column } from '../../components/data-table';
import { PagedTableCard } from '../../components/paged-table-card';
import { StatusBadge } from '../../components/status-badge';
import type { TokensQuery as TokensQueryResult } from '../../gql/graphql';
import { useI18n } from '../../i18n/i18n-context';
import { formatUsdShort } from '../../lib/usd';
import { RevokeTokenDialog, type TokenToRevoke } from './revoke-token-dialog';
import { TokenCreateForm, type CreatedToken } from './token-create-form';
import { TokenKeyDialog } from './token-key-dialog';
import { TokenSettingsDialog } from './token-settings-dialog';
import { TokensQuery } from './tokens.documents';

type TokenRow = TokensQueryResult['tokens']['edges'][number]['node'];

const PAGE_SIZE = 50;

export function TokensPage() {
  const { t, formatDateTime } = useI18n();
  const [created, setCreated] = useState<CreatedToken | null>(null);
  const [toRevoke, setToRevoke] = useState<TokenToRevoke | null>(null);
  const [toConfigure, setToConfigure] = useState<TokenRow | null>(null);
  const { data, loading, error, fetchMore } = useQuery(TokensQuery, {
    variables: { first: PAGE_SIZE },
    fetchPolicy: 'cache-and-network',
  });

  const rows = data?.tokens.edges.map((edge) => edge.node) ?? [];
  const pageInfo = data?.tokens.pageInfo;

  const columns: Column<TokenRow>[] = [
    { key: 'name', header: t('common.name'), render: (row) => row.name },
    {
      key: 'prefix',
      header: t('tokens.keyPrefix'),
      nowrap: true,
      // An ellipsis makes clear this is only the start of the key.
      render: (row) => (
        <code className="monospace">{row.keyPrefix.endsWith('…') ? row.keyPrefix : `${row.keyPrefix}…`}</code>
      ),
    },
    { key: 'status', header: t('common.status'), render: (row) => <StatusBadge status={row.status} /> },
    {
      key: 'expires',
      header: t('tokens.expires'),
      nowrap: true,
      render: (row) => (row.expiresAt ? formatDateTime(row.expiresAt) : t('common.never')),
    },
    {
      key: 'quota',
      header: t('tokens.quota'),
      nowrap: true,
      render: (row) =>
        row.unlimitedQuota ? t('tokens.unlimited') : t('tokens.quotaUsed', { used: formatUsdShort(row.quotaUsed), quota: formatUsdShort(row.quota) }),
    },
    { key: 'created', header: t('common.created'), render: (row) => formatDateTime(row.createdAt), nowrap: true },
    {
      key: 'actions',
      header: t('common.actions'),
      nowrap: true,
      render: (row) =>
        row.status === 'ACTIVE' ? (
          <>
            <button
              type="button"
              className="button button--small"
              aria-label={`${t('tokens.settings')} ${row.name}`}
              onClick={() => setToConfigure(row)}
            >
              {t('tokens.settings')}
            </button>{' '}
            <button
              type="button"
              className="button button--danger button--small"
              aria-label={`${t('tokens.revoke')} ${row.name}`}
              onClick={() => setToRevoke({ id: row.id, name: row.name })}
            >
              {t('tokens.revoke')}
            </button>
          </>
        ) : null,
    },
  ];

  const loadNextPage = () => fetchMore({ variables: { first: PAGE_SIZE, after: pageInfo?.endCursor } });

  return (
    <section className="page">
      <h1>{t('tokens.title')}</h1>
      <TokenCreateForm onCreated={setCreated} />
      <PagedTableCard
        heading={t('tokens.listTitle')}
        error={error}
        loadingFirstPage={loading && !data}
        hasNextPage={pageInfo?.hasNextPage ?? false}
        loadNextPage={loadNextPage}
        caption={t('tokens.listTitle')}
        columns={columns}
        rows={rows}
        rowKey={(row) => row.id}
        emptyText={t('tokens.empty')}
      />
      <TokenKeyDialog created={created} onClose={() => setCreated(null)} />
      <RevokeTokenDialog token={toRevoke} onClose={() => setToRevoke(null)} />
      <TokenSettingsDialog token={toConfigure} onClose={() => setToConfigure(null)} />
    </section>
  );
}
