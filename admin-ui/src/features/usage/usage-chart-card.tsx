// The usage chart with its controls: range (7 / 30 / 90 days) and metric (cost, requests, tokens).
import { useQuery } from '@apollo/client/react';
import { useId, useMemo, useState } from 'react';
import { ErrorBanner } from '../../components/error-banner';
import { useI18n } from '../../i18n/i18n-context';
import { formatCreditsAsUsd } from '../../lib/contract';
import { formatUsdShort } from '../../lib/usd';
import { METRIC_LABELS, UsageChart } from './usage-chart';
import { dayRange, listDays, type UsageMetric } from './usage-chart-data';
import { UsageSummaryQuery } from './usage.documents';

const RANGES = [7, 30, 90] as const;
type RangeLength = (typeof RANGES)[number];
const METRICS: readonly UsageMetric[] = ['cost', 'requests', 'tokens'];

interface ToggleGroupProps<Value extends string | number> {
  label: string;
  options: readonly Value[];
  value: Value;
  onChange: (value: Value) => void;
  labelOf: (value: Value) => string;
}

function ToggleGroup<Value extends string | number>({ label, options, value, onChange, labelOf }: ToggleGroupProps<Value>) {
  return (
    <div role="group" aria-label={label} className="toggle-group">
      {options.map((option) => (
        <button
          key={option}
          type="button"
          className="button button--small"
          aria-pressed={option === value}
          onClick={() => onChange(option)}
        >
          {labelOf(option)}
        </button>
      ))}
    </div>
  );
}


export function UsageChartCard() {
  const { t, language } = useI18n();
  const headingId = useId();
  const [rangeLength, setRangeLength] = useState<RangeLength>(7);
  const [metric, setMetric] = useState<UsageMetric>('cost');
  // Computed once per range choice so the query variables stay stable between renders.
  const range = useMemo(() => dayRange(rangeLength, new Date()), [rangeLength]);
  const { data, loading, error } = useQuery(UsageSummaryQuery, {
    variables: { input: { from: range.from, to: range.to } },
    fetchPolicy: 'cache-and-network',
  });
  const numberFormat = useMemo(() => new Intl.NumberFormat(language), [language]);
  const formatValue = (value: number) => (metric === 'cost' ? formatCreditsAsUsd(Math.round(value)) : numberFormat.format(value));
  const formatTick = (value: number) => (metric === 'cost' ? formatUsdShort(Math.round(value)) : numberFormat.format(value));

  return (
    <section className="card" aria-labelledby={headingId}>
      <div className="card__header">
        <h2 id={headingId}>{t('usage.chartHeading')}</h2>
        <div className="card__controls">
          <ToggleGroup
            label={t('usage.rangeLabel')}
            options={RANGES}
            value={rangeLength}
            onChange={setRangeLength}
            labelOf={(days) => t('usage.rangeDays', { days })}
          />
          <ToggleGroup
            label={t('usage.metricLabel')}
            options={METRICS}
            value={metric}
            onChange={setMetric}
            labelOf={(option) => t(METRIC_LABELS[option])}
          />
        </div>
      </div>
      <ErrorBanner error={error} />
      {loading && !data ? (
        <p className="muted">{t('app.loading')}</p>
      ) : (
        <UsageChart
          entries={data?.usageSummary ?? []}
          days={listDays(range.from, range.to)}
          metric={metric}
          formatValue={formatValue}
          formatTick={formatTick}
        />
      )}
    </section>
  );
}
