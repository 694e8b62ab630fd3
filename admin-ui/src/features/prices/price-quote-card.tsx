// A small calculator: what a request with these token counts would cost, priced by the server exactly as billed.
import { useLazyQuery } from '@apollo/client/react';
import { useState, type FormEvent } from 'react';
import { ErrorBanner } from '../../components/error-banner';
import { TextField } from '../../components/form-fields';
import { useI18n } from '../../i18n/i18n-context';
import { formatCreditsAsUsd } from '../../lib/contract';
import { PriceQuoteQuery } from './prices.documents';

function wholeNumber(text: string): number {
  const value = Number(text.trim() || '0');
  return Number.isFinite(value) ? Math.trunc(value) : 0;
}

export function PriceQuoteCard() {
  const { t } = useI18n();
  const [model, setModel] = useState('');
  const [promptTokens, setPromptTokens] = useState('1000');
  const [completionTokens, setCompletionTokens] = useState('1000');
  const [cacheReadTokens, setCacheReadTokens] = useState('0');
  const [cacheWriteTokens, setCacheWriteTokens] = useState('0');
  const [group, setGroup] = useState('');
  const [fetchQuote, { data, loading, error }] = useLazyQuery(PriceQuoteQuery, { fetchPolicy: 'network-only' });
  const quote = error ? null : data?.priceQuote;

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    try {
      await fetchQuote({
        variables: {
          input: {
            model: model.trim(),
            promptTokens: wholeNumber(promptTokens),
            completionTokens: wholeNumber(completionTokens),
            cacheReadTokens: wholeNumber(cacheReadTokens),
            cacheWriteTokens: wholeNumber(cacheWriteTokens),
            group: group.trim() || null,
          },
        },
      });
    } catch {
      // Shown through `error` below.
    }
  }

  return (
    <form className="card form" onSubmit={onSubmit} aria-label={t('prices.quoteTitle')}>
      <h2>{t('prices.quoteTitle')}</h2>
      <ErrorBanner error={error} />
      <div className="form__grid">
        <TextField label={t('prices.quoteModel')} value={model} onChange={setModel} required />
        <TextField label={t('prices.promptTokens')} type="number" value={promptTokens} onChange={setPromptTokens} />
        <TextField label={t('prices.completionTokens')} type="number" value={completionTokens} onChange={setCompletionTokens} />
        <TextField label={t('prices.cacheReadTokens')} type="number" value={cacheReadTokens} onChange={setCacheReadTokens} />
        <TextField label={t('prices.cacheWriteTokens')} type="number" value={cacheWriteTokens} onChange={setCacheWriteTokens} />
        <TextField label={t('prices.group')} hint={t('prices.groupHint')} value={group} onChange={setGroup} />
      </div>
      <div className="form__actions">
        <button type="submit" className="button button--primary" disabled={loading}>
          {t('prices.quote')}
        </button>
      </div>
      {quote ? (
        <div role="status" className="quote-result">
          <p>
            <strong>{t('prices.quoteTotal', { model: quote.model, total: quote.totalUsd })}</strong>
          </p>
          <p className="muted">
            {t('prices.quoteParts', {
              input: formatCreditsAsUsd(quote.input),
              output: formatCreditsAsUsd(quote.output),
              cacheRead: formatCreditsAsUsd(quote.cacheRead),
              cacheWrite: formatCreditsAsUsd(quote.cacheWrite),
              perCall: formatCreditsAsUsd(quote.perCall),
              multiplier: quote.multiplier,
            })}
          </p>
        </div>
      ) : null}
    </form>
  );
}
