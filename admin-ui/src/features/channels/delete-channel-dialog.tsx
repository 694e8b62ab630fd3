// Confirms deleting a channel; the gateway stops routing to it as soon as the new snapshot is published.
import { useMutation } from '@apollo/client/react';
import { ConfirmDialog } from '../../components/confirm-dialog';
import { useI18n } from '../../i18n/i18n-context';
import { ChannelsQuery, DeleteChannelMutation } from './channels.documents';

export interface ChannelToDelete {
  id: string;
  name: string;
}

export function DeleteChannelDialog({ channel, onClose }: { channel: ChannelToDelete | null; onClose: () => void }) {
  const { t } = useI18n();
  const [deleteChannel] = useMutation(DeleteChannelMutation, { refetchQueries: [ChannelsQuery], awaitRefetchQueries: true });
  return (
    <ConfirmDialog
      subject={channel}
      title={t('channels.deleteTitle')}
      message={({ name }) => t('channels.deleteConfirm', { name })}
      confirmLabel={t('common.delete')}
      onConfirm={({ id }) => deleteChannel({ variables: { input: { id } } })}
      onClose={onClose}
    />
  );
}
