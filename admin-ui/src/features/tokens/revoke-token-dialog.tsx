// Asks before revoking: a revoked key stops working on every data-plane node and cannot be restored.
import { useMutation } from '@apollo/client/react';
import { ConfirmDialog } from '../../components/confirm-dialog';
import { useI18n } from '../../i18n/i18n-context';
import { RevokeTokenMutation } from './tokens.documents';

export interface TokenToRevoke {
  id: string;
  name: string;
}

export function RevokeTokenDialog({ token, onClose }: { token: TokenToRevoke | null; onClose: () => void }) {
  const { t } = useI18n();
  // The payload carries the token's id and new status, so the normalized cache updates the list row by itself.
  const [revokeToken] = useMutation(RevokeTokenMutation);
  return (
    <ConfirmDialog
      subject={token}
      title={t('tokens.revokeTitle')}
      message={({ name }) => t('tokens.revokeConfirm', { name })}
      confirmLabel={t('tokens.revoke')}
      busyLabel={t('tokens.revoking')}
      onConfirm={({ id }) => revokeToken({ variables: { input: { id } } })}
      onClose={onClose}
    />
  );
}
