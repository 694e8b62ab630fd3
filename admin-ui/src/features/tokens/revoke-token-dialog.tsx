// Asks before revoking: a revoked key stops working on every data-plane node and cannot be restored.
import { useMutation } from '@apollo/client/react';
import { Dialog } from '../../components/dialog';
import { ErrorBanner } from '../../components/error-banner';
import { useI18n } from '../../i18n/i18n-context';
import { RevokeTokenMutation } from './tokens.documents';

export interface TokenToRevoke {
  id: string;
  name: string;
}

export function RevokeTokenDialog({ token, onClose }: { token: TokenToRevoke | null; onClose: () => void }) {
  const { t } = useI18n();
  // The payload carries the token's id and new status, so the normalized cache updates the list row by itself.
  const [revokeToken, { loading, error, reset }] = useMutation(RevokeTokenMutation);

  function close() {
    reset();
    onClose();
  }

  async function confirm() {
    if (!token) return;
    try {
      await revokeToken({ variables: { input: { id: token.id } } });
      close();
    } catch {
      // Shown through `error` in the dialog.
    }
  }

  return (
    <Dialog
      open={token !== null}
      title={t('tokens.revokeTitle')}
      onClose={close}
      actions={
        <>
          <button type="button" className="button" onClick={close} disabled={loading}>
            {t('common.cancel')}
          </button>
          <button type="button" className="button button--danger" onClick={confirm} disabled={loading}>
            {loading ? t('tokens.revoking') : t('tokens.revoke')}
          </button>
        </>
      }
    >
      <ErrorBanner error={error} />
      <p>{t('tokens.revokeConfirm', { name: token?.name ?? '' })}</p>
    </Dialog>
  );
}
