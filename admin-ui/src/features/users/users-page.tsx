// Users (admin): create, edit group/status/limits (role when root), adjust the balance, shown in USD.
import { useQuery } from '@apollo/client/react';
import { useState } from 'react';
import type { Column } from '../../components/data-table';
import { PagedTableCard } from '../../components/paged-table-card';
import { StatusBadge } from '../../components/status-badge';
import type { UserFieldsFragment } from '../../gql/graphql';
import { useI18n } from '../../i18n/i18n-context';
import { formatUsdShort } from '../../lib/usd';
import { AdjustBalanceDialog } from './adjust-balance-dialog';
import { UserCreateForm } from './user-create-form';
import { UserEditDialog } from './user-edit-dialog';
import { UsersQuery } from './users.documents';

const PAGE_SIZE = 50;

/** "rpm 60 · tpm — · concurrent 2", or null when the user follows the group defaults. */
export function describeLimits(limits: UserFieldsFragment['limits'], none: string): string | null {
  if (!limits) return null;
  const text = (value: number | null | undefined) => (value === null || value === undefined ? none : String(value));
  return `rpm ${text(limits.requestsPerMinute)} · tpm ${text(limits.tokensPerMinute)} · concurrent ${text(limits.concurrentRequests)}`;
}

export function UsersPage({ isRoot }: { isRoot: boolean }) {
  const { t, formatDateTime } = useI18n();
  const [notice, setNotice] = useState('');
  const [editing, setEditing] = useState<UserFieldsFragment | null>(null);
  const [adjusting, setAdjusting] = useState<UserFieldsFragment | null>(null);
  const { data, loading, error, fetchMore } = useQuery(UsersQuery, {
    variables: { first: PAGE_SIZE },
    fetchPolicy: 'cache-and-network',
  });
  const rows = data?.users.edges.map((edge) => edge.node) ?? [];
  const pageInfo = data?.users.pageInfo;

  const columns: Column<UserFieldsFragment>[] = [
    { key: 'username', header: t('users.username'), render: (user) => user.username },
    { key: 'email', header: t('users.emailColumn'), render: (user) => user.email ?? t('common.none') },
    { key: 'role', header: t('users.role'), render: (user) => t(`role.${user.role}`) },
    { key: 'group', header: t('users.group'), render: (user) => user.group },
    { key: 'status', header: t('common.status'), render: (user) => <StatusBadge status={user.status} /> },
    { key: 'balance', header: t('users.balance'), numeric: true, render: (user) => formatUsdShort(user.balance) },
    {
      key: 'limits',
      header: t('limits.title'),
      render: (user) => describeLimits(user.limits, t('common.none')) ?? t('users.groupDefaults'),
    },
    { key: 'created', header: t('common.created'), nowrap: true, render: (user) => formatDateTime(user.createdAt) },
    {
      key: 'actions',
      header: t('common.actions'),
      nowrap: true,
      render: (user) => (
        <>
          <button type="button" className="button button--small" aria-label={`${t('common.edit')} ${user.username}`} onClick={() => setEditing(user)}>
            {t('common.edit')}
          </button>{' '}
          <button
            type="button"
            className="button button--small"
            aria-label={`${t('users.adjust')} ${user.username}`}
            onClick={() => setAdjusting(user)}
          >
            {t('users.adjust')}
          </button>
        </>
      ),
    },
  ];

  return (
    <section className="page">
      <h1>{t('users.title')}</h1>
      {notice ? (
        <p className="notice" role="status">
          {notice}
        </p>
      ) : null}
      <UserCreateForm isRoot={isRoot} onCreated={(username) => setNotice(t('users.created', { username }))} />
      <PagedTableCard
        heading={t('users.listTitle')}
        error={error}
        loadingFirstPage={loading && !data}
        hasNextPage={pageInfo?.hasNextPage ?? false}
        loadNextPage={() => fetchMore({ variables: { first: PAGE_SIZE, after: pageInfo?.endCursor } })}
        caption={t('users.listTitle')}
        columns={columns}
        rows={rows}
        rowKey={(user) => user.id}
        emptyText={t('users.empty')}
      />
      <UserEditDialog
        user={editing}
        isRoot={isRoot}
        onClose={() => setEditing(null)}
      />
      <AdjustBalanceDialog user={adjusting} onClose={() => setAdjusting(null)} />
    </section>
  );
}
