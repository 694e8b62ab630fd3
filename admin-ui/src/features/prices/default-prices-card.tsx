// Prices well-known models at their providers' list prices (admin); existing prices stay unless overwrite is ticked.
import { useMutation } from '@apollo/client/react';
import { useId, useState } from 'react';
import { ErrorBanner } from '../../components/error-banner';
import { CheckboxField } from '../../components/form-fields';
import { useI18n } from '../../i18n/i18n-context';
import { ApplyDefaultPricesMutation, ModelPricesQuery } from './prices.documents';

export function DefaultPricesCard() {
  const { t } = useI18n();
  const headingId = useId();
  const [overwrite, setOverwrite] = useState(false);
  const [outcome, setOutcome] = useState('');
  const [applyDefaults, { loading, error, reset }] = useMutation(ApplyDefaultPricesMutation, {
    refetchQueries: [ModelPricesQuery],
    awaitRefetchQueries: true,
  });

  async function apply() {
    setOutcome('');
    try {
      const result = await applyDefaults({ variables: { input: { overwrite } } });
      const payload = result.data?.applyDefaultPrices;
      if (payload) setOutcome(t('prices.defaultsApplied', { count: payload.prices.length, skipped: payload.skipped.length }));
    } catch {
      // Shown through `error` below.
    }
  }

  return (
    <section className="card" aria-labelledby={headingId}>
      <h2 id={headingId}>{t('prices.defaultsTitle')}</h2>
      <ErrorBanner error={error} onDismiss={reset} />
      <p className="muted">{t('prices.defaultsIntro')}</p>
      <div className="inline-actions">
        <CheckboxField label={t('prices.overwrite')} checked={overwrite} onChange={setOverwrite} />
        <button type="button" className="button" onClick={() => void apply()} disabled={loading}>
          {t('prices.applyDefaults')}
        </button>
      </div>
      {outcome ? (
        <p className="notice" role="status">
          {outcome}
        </p>
      ) : null}
    </section>
  );
}
