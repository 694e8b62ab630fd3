// "Redeem a code": any signed-in user turns a voucher code into credits or a plan.
import { useMutation } from '@apollo/client/react';
import { useState, type FormEvent } from 'react';
import { ErrorBanner } from '../../components/error-banner';
import { TextField } from '../../components/form-fields';
import { useI18n } from '../../i18n/i18n-context';
import { formatUsdShort } from '../../lib/usd';
import { RedeemVoucherMutation, WalletQuery } from './wallet.documents';

export function RedeemVoucherForm() {
  const { t } = useI18n();
  const [code, setCode] = useState('');
  const [notice, setNotice] = useState('');
  const [redeemVoucher, { loading, error, reset }] = useMutation(RedeemVoucherMutation, {
    refetchQueries: [WalletQuery],
    awaitRefetchQueries: true,
  });

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setNotice('');
    try {
      const result = await redeemVoucher({ variables: { input: { code: code.trim() } } });
      const voucher = result.data?.redeemVoucher.voucher;
      if (!voucher) return;
      setCode('');
      setNotice(voucher.kind === 'PLAN' ? t('wallet.redeemedPlan') : t('wallet.redeemedCredits', { amount: formatUsdShort(voucher.amount) }));
    } catch {
      // Shown through `error` below.
    }
  }

  return (
    <form className="card form" onSubmit={onSubmit} aria-label={t('wallet.redeemTitle')}>
      <h2>{t('wallet.redeemTitle')}</h2>
      <ErrorBanner error={error} onDismiss={reset} messages={{ CONFLICT: 'wallet.redeemConflict', NOT_FOUND: 'wallet.redeemNotFound' }} />
      {notice ? (
        <p className="notice" role="status">
          {notice}
        </p>
      ) : null}
      <div className="form__grid">
        <TextField label={t('wallet.code')} value={code} onChange={setCode} required />
      </div>
      <div className="form__actions">
        <button type="submit" className="button button--primary" disabled={loading}>
          {loading ? t('wallet.redeeming') : t('wallet.redeem')}
        </button>
      </div>
    </form>
  );
}
