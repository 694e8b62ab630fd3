// The keys panel of one channel: each key's hint and status (never the key), enable / disable, re-enable a key the
// data plane disabled, and remove a key.
import { useMutation } from '@apollo/client/react';
import { DataTable, type Column } from '../../components/data-table';
import { Dialog } from '../../components/dialog';
import { ErrorBanner } from '../../components/error-banner';
import type { ChannelFieldsFragment } from '../../gql/graphql';
import { useI18n } from '../../i18n/i18n-context';
import { KeyStatusBadge } from './channel-badges';
import { SetChannelKeyStatusMutation, UpdateChannelMutation } from './channels.documents';

type ChannelKeyRow = ChannelFieldsFragment['keys'][number];

export function ChannelKeysDialog({ channel, onClose }: { channel: ChannelFieldsFragment | null; onClose: () => void }) {
  const { t } = useI18n();
  const [setKeyStatus, statusChange] = useMutation(SetChannelKeyStatusMutation);
  const [updateChannel, removal] = useMutation(UpdateChannelMutation);
  const busy = statusChange.loading || removal.loading;

  function changeStatus(key: ChannelKeyRow, enabled: boolean) {
    if (!channel) return;
    removal.reset();
    setKeyStatus({ variables: { input: { channelId: channel.id, keyId: key.id, enabled } } }).catch(() => {
      // Shown through statusChange.error.
    });
  }

  function remove(key: ChannelKeyRow) {
    if (!channel) return;
    statusChange.reset();
    updateChannel({ variables: { input: { id: channel.id, removeKeyIds: [key.id] } } }).catch(() => {
      // Shown through removal.error.
    });
  }

  const columns: Column<ChannelKeyRow>[] = [
    { key: 'hint', header: t('channels.keyHint'), nowrap: true, render: (key) => <code className="monospace">{key.hint}</code> },
    { key: 'status', header: t('common.status'), nowrap: true, render: (key) => <KeyStatusBadge status={key.status} /> },
    {
      key: 'actions',
      header: t('common.actions'),
      nowrap: true,
      render: (key) => {
        const action = key.status === 'ENABLED' ? 'channels.disableKey' : key.status === 'DISABLED' ? 'channels.enableKey' : 'channels.reenableKey';
        return (
          <span className="inline-actions">
            <button
              type="button"
              className={key.status === 'ENABLED' ? 'button button--small' : 'button button--primary button--small'}
              disabled={busy}
              aria-label={t(`${action}Named`, { hint: key.hint })}
              onClick={() => changeStatus(key, key.status !== 'ENABLED')}
            >
              {t(action)}
            </button>
            <button
              type="button"
              className="button button--danger button--small"
              // The server needs at least one key per channel.
              disabled={busy || (channel?.keys.length ?? 0) <= 1}
              aria-label={t('channels.removeKeyNamed', { hint: key.hint })}
              onClick={() => remove(key)}
            >
              {t('common.remove')}
            </button>
          </span>
        );
      },
    },
  ];

  return (
    <Dialog
      open={channel !== null}
      title={t('channels.keysTitle', { name: channel?.name ?? '' })}
      onClose={onClose}
      actions={
        <button type="button" className="button" onClick={onClose}>
          {t('common.close')}
        </button>
      }
    >
      <p className="muted">{t('channels.keysPanelIntro')}</p>
      <ErrorBanner error={statusChange.error ?? removal.error} onDismiss={() => {
          statusChange.reset();
          removal.reset();
        }} />
      <DataTable
        caption={t('channels.keysTitle', { name: channel?.name ?? '' })}
        columns={columns}
        rows={channel?.keys ?? []}
        rowKey={(key) => key.id}
        emptyText={t('channels.noKeys')}
      />
    </Dialog>
  );
}
