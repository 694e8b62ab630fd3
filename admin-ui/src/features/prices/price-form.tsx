// Sets one model's price (admin), entered in USD per 1M tokens and stored as integer credits.
import { useMutation } from '@apollo/client/react';
import { useState, type FormEvent } from 'react';
import { ErrorBanner } from '../../components/error-banner';
import { TextField } from '../../components/form-fields';
import type { ModelPriceFieldsFragment } from '../../gql/graphql';
import { useI18n } from '../../i18n/i18n-context';
import { creditsToUsdText, usdToCredits } from '../../lib/usd';
import { ModelPricesQuery, SetModelPriceMutation } from './prices.documents';

function usdText(credits: number | null | undefined): string {
  return credits === null || credits === undefined ? '' : creditsToUsdText(credits);
}

export function PriceForm({ price, onSaved }: { price: ModelPriceFieldsFragment | null; onSaved: (model: string) => void }) {
  const { t } = useI18n();
  const [model, setModel] = useState(price?.model ?? '');
  const [input, setInput] = useState(usdText(price?.inputPerMillion));
  const [output, setOutput] = useState(usdText(price?.outputPerMillion));
  const [cacheRead, setCacheRead] = useState(usdText(price?.cacheReadPerMillion));
  const [cacheWrite, setCacheWrite] = useState(usdText(price?.cacheWritePerMillion));
  const [perCall, setPerCall] = useState(usdText(price?.perCall ?? 0));
  const [defaultMaxOutputTokens, setDefaultMaxOutputTokens] = useState(price?.defaultMaxOutputTokens?.toString() ?? '');
  const [invalid, setInvalid] = useState(false);
  const [setModelPrice, { loading, error, reset }] = useMutation(SetModelPriceMutation, {
    refetchQueries: [ModelPricesQuery],
    awaitRefetchQueries: true,
  });

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const inputPerMillion = usdToCredits(input);
    const outputPerMillion = usdToCredits(output);
    const optional = [cacheRead, cacheWrite, perCall].map((text) => ({ text, credits: usdToCredits(text) }));
    const badOptional = optional.some((entry) => entry.text.trim() !== '' && entry.credits === null);
    const maxTokens = defaultMaxOutputTokens.trim() === '' ? null : Number(defaultMaxOutputTokens);
    if (inputPerMillion === null || outputPerMillion === null || badOptional || (maxTokens !== null && !Number.isInteger(maxTokens))) {
      setInvalid(true);
      return;
    }
    setInvalid(false);
    try {
      await setModelPrice({
        variables: {
          input: {
            model: model.trim(),
            inputPerMillion,
            outputPerMillion,
            cacheReadPerMillion: optional[0]?.credits ?? null,
            cacheWritePerMillion: optional[1]?.credits ?? null,
            perCall: optional[2]?.credits ?? 0,
            defaultMaxOutputTokens: maxTokens,
          },
        },
      });
      onSaved(model.trim());
    } catch {
      // Shown through `error` above the fields.
    }
  }

  return (
    <form className="card form" onSubmit={onSubmit} aria-label={t('prices.formTitle')}>
      <h2>{t('prices.formTitle')}</h2>
      <ErrorBanner error={error} onDismiss={reset} />
      {invalid ? (
        <p className="error-banner" role="alert">
          {t('prices.invalidAmounts')}
        </p>
      ) : null}
      <div className="form__grid">
        <TextField label={t('prices.model')} value={model} onChange={setModel} required />
        <TextField label={t('prices.inputUsd')} value={input} onChange={setInput} required placeholder="2.50" />
        <TextField label={t('prices.outputUsd')} value={output} onChange={setOutput} required placeholder="10" />
        <TextField label={t('prices.cacheReadUsd')} hint={t('prices.fallbackHint')} value={cacheRead} onChange={setCacheRead} />
        <TextField label={t('prices.cacheWriteUsd')} hint={t('prices.fallbackHint')} value={cacheWrite} onChange={setCacheWrite} />
        <TextField label={t('prices.perCallUsd')} value={perCall} onChange={setPerCall} />
        <TextField
          label={t('prices.defaultMaxOutputTokens')}
          hint={t('prices.defaultMaxOutputTokensHint')}
          type="number"
          value={defaultMaxOutputTokens}
          onChange={setDefaultMaxOutputTokens}
        />
      </div>
      <div className="form__actions">
        <button type="submit" className="button button--primary" disabled={loading}>
          {loading ? t('common.saving') : t('prices.save')}
        </button>
      </div>
    </form>
  );
}
