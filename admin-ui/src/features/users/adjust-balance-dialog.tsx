// Credits or debits a user's wallet (admin), entered in USD; every change is a ledger posting with a reason.
import { useMutation } from '@apollo/client/react';
import { useState } from 'react';
import { Dialog } from '../../components/dialog';
import { ErrorBanner } from '../../components/error-banner';
import { TextField } from '../../components/form-fields';
import type { UserFieldsFragment } from '../../gql/graphql';
import { useI18n } from '../../i18n/i18n-context';
import { signedUsdToCredits } from '../../lib/usd';
import { AdjustBalanceMutation } from './users.documents';

/** 32 hex characters; getRandomValues also works on plain-HTTP origins, where randomUUID does not exist. */
function randomKey(): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (byte) => byte.toString(16).padStart(2, '0')).join('');
}

function AdjustBalanceForm({ user, onClose }: { user: UserFieldsFragment; onClose: () => void }) {
  const { t } = useI18n();
  const [amount, setAmount] = useState('');
  const [reason, setReason] = useState('');
  const [invalid, setInvalid] = useState(false);
  // One key per opened dialog: a double click or a retry after a lost answer books the change once.
  const [idempotencyKey] = useState(randomKey);
  const [adjustBalance, { loading, error }] = useMutation(AdjustBalanceMutation);

  async function save() {
    const credits = signedUsdToCredits(amount);
    if (credits === null || credits === 0 || reason.trim() === '') {
      setInvalid(true);
      return;
    }
    setInvalid(false);
    try {
      await adjustBalance({ variables: { input: { userId: user.id, amount: credits, reason: reason.trim(), idempotencyKey } } });
      onClose();
    } catch {
      // Shown through `error` above the fields.
    }
  }

  return (
    <Dialog
      open
      title={t('users.adjustTitle', { username: user.username })}
      onClose={onClose}
      actions={
        <>
          <button type="button" className="button" onClick={onClose} disabled={loading}>
            {t('common.cancel')}
          </button>
          <button type="button" className="button button--primary" onClick={() => void save()} disabled={loading}>
            {loading ? t('common.saving') : t('users.adjust')}
          </button>
        </>
      }
    >
      <ErrorBanner error={error} />
      {invalid ? (
        <p className="error-banner" role="alert">
          {t('users.adjustInvalid')}
        </p>
      ) : null}
      <div className="form__grid">
        <TextField label={t('users.adjustAmount')} hint={t('users.adjustAmountHint')} value={amount} onChange={setAmount} required placeholder="5.00" />
        <TextField label={t('users.adjustReason')} value={reason} onChange={setReason} required />
      </div>
    </Dialog>
  );
}

export function AdjustBalanceDialog({ user, onClose }: { user: UserFieldsFragment | null; onClose: () => void }) {
  return user ? <AdjustBalanceForm key={user.id} user={user} onClose={onClose} /> : null;
}
