// Top-up buttons for the payment methods the server has configured; each sends the browser to the provider's page.
import { useMutation } from '@apollo/client/react';
import { useState } from 'react';
import { ErrorBanner } from '../../components/error-banner';
import { TextField } from '../../components/form-fields';
import { useI18n } from '../../i18n/i18n-context';
import { parseHundredths } from './top-up-amount';
import { CreateEpayOrderMutation, CreateStripeCheckoutMutation } from './wallet.documents';

const EPAY_METHODS = ['alipay', 'wxpay'] as const;

export function TopUpCard({ stripe, epay }: { stripe: boolean; epay: boolean }) {
  const { t } = useI18n();
  const [amount, setAmount] = useState('10');
  const [invalid, setInvalid] = useState(false);
  const [createStripeCheckout, stripeState] = useMutation(CreateStripeCheckoutMutation);
  const [createEpayOrder, epayState] = useMutation(CreateEpayOrderMutation);
  const busy = stripeState.loading || epayState.loading;

  async function payWith(method: 'stripe' | (typeof EPAY_METHODS)[number]) {
    const hundredths = parseHundredths(amount);
    if (hundredths === null) {
      setInvalid(true);
      return;
    }
    setInvalid(false);
    try {
      const url =
        method === 'stripe'
          ? (await createStripeCheckout({ variables: { input: { amountCents: hundredths } } })).data?.createStripeCheckout.checkoutUrl
          : (await createEpayOrder({ variables: { input: { amountFen: hundredths, method } } })).data?.createEpayOrder.payUrl;
      // Only web addresses: the URL comes from the server, but a javascript: URL must never be followed.
      if (url && /^https?:\/\//i.test(url)) window.location.assign(url);
    } catch {
      // Shown through the error banners below.
    }
  }

  if (!stripe && !epay) return null;
  return (
    <section className="card form" aria-label={t('wallet.topUpTitle')}>
      <h2>{t('wallet.topUpTitle')}</h2>
      <ErrorBanner error={stripeState.error ?? epayState.error} />
      {invalid ? (
        <p className="error-banner" role="alert">
          {t('wallet.topUpInvalid')}
        </p>
      ) : null}
      <div className="form__grid">
        <TextField label={t('wallet.topUpAmount')} hint={t('wallet.topUpAmountHint')} value={amount} onChange={setAmount} required />
      </div>
      <div className="form__actions">
        {stripe ? (
          <button type="button" className="button button--primary" disabled={busy} onClick={() => void payWith('stripe')}>
            {t('wallet.payStripe')}
          </button>
        ) : null}
        {epay
          ? EPAY_METHODS.map((method) => (
              <button key={method} type="button" className="button" disabled={busy} onClick={() => void payWith(method)}>
                {t(`wallet.pay.${method}`)}
              </button>
            ))
          : null}
      </div>
    </section>
  );
}
