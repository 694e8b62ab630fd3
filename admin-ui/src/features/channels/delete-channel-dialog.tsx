// Confirms deleting a channel; the gateway stops routing to it as soon as the new snapshot is published.
import { useMutation } from '@apollo/client/react';
import { Dialog } from '../../components/dialog';
import { ErrorBanner } from '../../components/error-banner';
import { useI18n } from '../../i18n/i18n-context';
import { ChannelsQuery, DeleteChannelMutation } from './channels.documents';

export interface ChannelToDelete {
  id: string;
  name: string;
}

export function DeleteChannelDialog({ channel, onClose }: { channel: ChannelToDelete | null; onClose: () => void }) {
  const { t } = useI18n();
  const [deleteChannel, { loading, error, reset }] = useMutation(DeleteChannelMutation, {
    refetchQueries: [ChannelsQuery],
    awaitRefetchQueries: true,
  });

  function close() {
    reset();
    onClose();
  }

  async function confirm() {
    if (!channel) return;
    try {
      await deleteChannel({ variables: { input: { id: channel.id } } });
      close();
    } catch {
      // Shown through `error`.
    }
  }

  return (
    <Dialog
      open={channel !== null}
      title={t('channels.deleteTitle')}
      onClose={close}
      actions={
        <>
          <button type="button" className="button" onClick={close}>
            {t('common.cancel')}
          </button>
          <button type="button" className="button button--danger" onClick={() => void confirm()} disabled={loading}>
            {t('common.delete')}
          </button>
        </>
      }
    >
      <ErrorBanner error={error} />
      <p>{t('channels.deleteConfirm', { name: channel?.name ?? '' })}</p>
    </Dialog>
  );
}
