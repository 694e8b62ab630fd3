// Channels (admin): the upstream accounts the gateway routes to. Lists them with status, a health sparkline and tags;
// batch enable / disable by selection or by tag; create, edit, manage keys, test and delete one channel.
import { useQuery } from '@apollo/client/react';
import { useState } from 'react';
import { DataTable, type Column } from '../../components/data-table';
import { ErrorBanner } from '../../components/error-banner';
import { LoadMoreButton } from '../../components/load-more-button';
import { StatusBadge } from '../../components/status-badge';
import type { ChannelFieldsFragment } from '../../gql/graphql';
import { useI18n } from '../../i18n/i18n-context';
import { HealthBadge } from './channel-badges';
import { ChannelBatchBar } from './channel-batch-bar';
import { tagsOf } from './channel-draft';
import { ChannelForm } from './channel-form';
import { ChannelKeysDialog } from './channel-keys-dialog';
import { ChannelTestDialog } from './channel-test-dialog';
import { ChannelsQuery } from './channels.documents';
import { DeleteChannelDialog, type ChannelToDelete } from './delete-channel-dialog';
import { HealthSparkline } from './health-sparkline';

const PAGE_SIZE = 50;
const ALL_TAGS = '';

export function ChannelsPage() {
  const { t, formatDateTime } = useI18n();
  const { data, loading, error, fetchMore } = useQuery(ChannelsQuery, {
    variables: { first: PAGE_SIZE },
    fetchPolicy: 'cache-and-network',
  });
  const [editingId, setEditingId] = useState<string | null>(null);
  const [keysForId, setKeysForId] = useState<string | null>(null);
  const [testForId, setTestForId] = useState<string | null>(null);
  const [toDelete, setToDelete] = useState<ChannelToDelete | null>(null);
  const [selectedIds, setSelectedIds] = useState<ReadonlySet<string>>(new Set());
  const [tagFilter, setTagFilter] = useState(ALL_TAGS);
  const [notice, setNotice] = useState('');
  const [loadingMore, setLoadingMore] = useState(false);

  const channels = data?.channels.edges.map((edge) => edge.node) ?? [];
  const pageInfo = data?.channels.pageInfo;
  const tags = tagsOf(channels);
  const shown = tagFilter === ALL_TAGS ? channels : channels.filter((channel) => channel.tags.includes(tagFilter));
  // Only rows still on screen count: a filter change must not act on channels the admin no longer sees.
  const selectedShown = shown.filter((channel) => selectedIds.has(channel.id)).map((channel) => channel.id);
  // Dialogs look channels up by id so they show the cache's latest state after each mutation.
  const byId = (id: string | null) => channels.find((channel) => channel.id === id) ?? null;
  const editing = byId(editingId);

  function toggleSelected(id: string, selected: boolean) {
    setSelectedIds((previous) => {
      const next = new Set(previous);
      if (selected) next.add(id);
      else next.delete(id);
      return next;
    });
  }

  async function loadMore() {
    setLoadingMore(true);
    try {
      await fetchMore({ variables: { first: PAGE_SIZE, after: pageInfo?.endCursor } });
    } finally {
      setLoadingMore(false);
    }
  }

  const columns: Column<ChannelFieldsFragment>[] = [
    {
      key: 'select',
      header: t('channels.select'),
      render: (row) => (
        <input
          type="checkbox"
          aria-label={t('channels.selectNamed', { name: row.name })}
          checked={selectedIds.has(row.id)}
          onChange={(event) => toggleSelected(row.id, event.target.checked)}
        />
      ),
    },
    {
      key: 'name',
      header: t('common.name'),
      render: (row) => (
        <>
          <span className="nowrap">{row.name}</span>
          <div>
            <small className="monospace muted">{row.baseUrl}</small>
          </div>
          {row.tags.length > 0 ? (
            <div className="tag-list" role="group" aria-label={t('channels.tagsOf', { name: row.name })}>
              {row.tags.map((tag) => (
                <span key={tag} className="tag">
                  {tag}
                </span>
              ))}
            </div>
          ) : null}
        </>
      ),
    },
    { key: 'type', header: t('channels.typeColumn'), render: (row) => row.type, nowrap: true },
    { key: 'models', header: t('channels.modelsColumn'), render: (row) => row.models.join(', ') },
    { key: 'priority', header: t('channels.priority'), render: (row) => row.priority, numeric: true },
    { key: 'weight', header: t('channels.weight'), render: (row) => row.weight, numeric: true },
    {
      key: 'status',
      header: t('common.status'),
      nowrap: true,
      render: (row) => (
        <>
          <StatusBadge status={row.status} />
          {row.health.autoDisabled ? (
            <div>
              <span className="badge badge--bad">{t('channels.autoDisabled')}</span>
            </div>
          ) : null}
        </>
      ),
    },
    {
      key: 'health',
      header: t('channels.healthColumn'),
      render: (row) => (
        <div>
          <HealthBadge status={row.health.status} />{' '}
          {row.health.latencyMs !== null && row.health.latencyMs !== undefined ? (
            <span className="muted">{t('channels.latency', { ms: row.health.latencyMs })}</span>
          ) : null}
          <HealthSparkline channelName={row.name} history={row.health.history} />
          {row.health.lastCheckedAt ? (
            <small className="muted" style={{ display: 'block' }}>{t('channels.lastChecked', { time: formatDateTime(row.health.lastCheckedAt) })}</small>
          ) : null}
          {row.health.balance ? (
            <div>
              <small>
                {t('channels.balance', { amount: row.health.balance.amount, currency: row.health.balance.currency })}
              </small>
            </div>
          ) : null}
        </div>
      ),
    },
    {
      key: 'keys',
      header: t('channels.keysColumn'),
      nowrap: true,
      render: (row) => {
        const usable = row.keys.filter((key) => key.status === 'ENABLED').length;
        return (
          <span className="monospace">
            {row.keyCount} · {row.keyHint}
            {usable < row.keys.length ? (
              <small className="muted" style={{ display: 'block' }}>
                {t('channels.keysUsable', { count: usable })}
              </small>
            ) : null}
          </span>
        );
      },
    },
    {
      key: 'actions',
      header: t('common.actions'),
      nowrap: true,
      render: (row) => (
        <span className="inline-actions" style={{ gap: '0.3rem' }}>
          <button
            type="button"
            className="button button--small"
            aria-label={t('channels.editNamed', { name: row.name })}
            onClick={() => {
              setNotice('');
              setEditingId(row.id);
              window.scrollTo({ top: 0 });
            }}
          >
            {t('common.edit')}
          </button>
          <button type="button" className="button button--small" aria-label={t('channels.keysNamed', { name: row.name })} onClick={() => setKeysForId(row.id)}>
            {t('channels.keysButton')}
          </button>
          <button type="button" className="button button--small" aria-label={t('channels.testNamed', { name: row.name })} onClick={() => setTestForId(row.id)}>
            {t('channels.test')}
          </button>
          <button
            type="button"
            className="button button--danger button--small"
            aria-label={t('channels.deleteNamed', { name: row.name })}
            onClick={() => setToDelete({ id: row.id, name: row.name })}
          >
            {t('common.delete')}
          </button>
        </span>
      ),
    },
  ];

  return (
    <section className="page">
      <h1>{t('channels.title')}</h1>
      {notice ? (
        <p className="notice" role="status">
          {notice}
        </p>
      ) : null}
      <ChannelForm
        // A new key resets the draft when switching between creating and editing.
        key={editing?.id ?? 'new'}
        channel={editing}
        onSaved={(name) => {
          setNotice(t(editing ? 'channels.saved' : 'channels.created', { name }));
          setEditingId(null);
        }}
        onCancelEdit={() => setEditingId(null)}
      />
      <section className="card">
        <div className="card__header">
          <h2>{t('channels.listTitle')}</h2>
          <div className="card__controls">
            <label className="language-switch">
              <span>{t('channels.filterByTag')}</span>
              <select
                value={tagFilter}
                onChange={(event) => {
                  setTagFilter(event.target.value);
                  setSelectedIds(new Set());
                }}
              >
                <option value={ALL_TAGS}>{t('channels.allTags')}</option>
                {tags.map((tag) => (
                  <option key={tag} value={tag}>
                    {tag}
                  </option>
                ))}
              </select>
            </label>
          </div>
        </div>
        <ChannelBatchBar
          shownIds={shown.map((channel) => channel.id)}
          selectedIds={selectedShown}
          tag={tagFilter === ALL_TAGS ? null : tagFilter}
          onSelectAllShown={() => setSelectedIds(new Set(shown.map((channel) => channel.id)))}
          onApplied={(summary) => {
            setNotice(summary);
            setSelectedIds(new Set());
          }}
        />
        <ErrorBanner error={error} />
        {loading && !data ? (
          <p className="muted">{t('app.loading')}</p>
        ) : (
          <DataTable
            caption={t('channels.listTitle')}
            columns={columns}
            rows={shown}
            rowKey={(row) => row.id}
            emptyText={t('channels.empty')}
          />
        )}
        <LoadMoreButton hasNextPage={pageInfo?.hasNextPage ?? false} loading={loadingMore} onLoadMore={() => void loadMore()} />
      </section>
      <ChannelKeysDialog channel={byId(keysForId)} onClose={() => setKeysForId(null)} />
      <ChannelTestDialog channel={byId(testForId)} onClose={() => setTestForId(null)} />
      <DeleteChannelDialog channel={toDelete} onClose={() => setToDelete(null)} />
    </section>
  );
}
