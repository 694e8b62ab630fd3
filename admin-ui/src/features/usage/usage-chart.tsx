// Stacked daily bars of one usage metric by model, drawn as plain SVG; every bar segment carries a <title> tooltip.
// The picture is one image to assistive technology, so the same numbers follow in a visually hidden table.
import { useId } from 'react';
import type { MessageKey } from '../../i18n/en';
import { useI18n } from '../../i18n/i18n-context';
import { axisTicks, stackUsageByDay, type UsageMetric, type UsageSummaryEntry } from './usage-chart-data';

const WIDTH = 760;
const HEIGHT = 260;
const MARGIN = { top: 12, right: 12, bottom: 28, left: 84 };
const PALETTE = ['#4f46e5', '#0891b2', '#d97706', '#16a34a', '#db2777', '#7c3aed', '#dc2626', '#65a30d'];

/** Names of the metrics, for the toggle and the table header. */
export const METRIC_LABELS: Record<UsageMetric, MessageKey> = {
  cost: 'usage.metric.cost',
  requests: 'usage.metric.requests',
  tokens: 'usage.metric.tokens',
};

export interface UsageChartProps {
  entries: readonly UsageSummaryEntry[];
  days: readonly string[];
  metric: UsageMetric;
  /** Exact value, for tooltips. */
  formatValue: (value: number) => string;
  /** Short value, for the axis. */
  formatTick: (value: number) => string;
}

export function modelColour(index: number): string {
  return PALETTE[index % PALETTE.length] ?? '#4f46e5';
}

export function UsageChart({ entries, days, metric, formatValue, formatTick }: UsageChartProps) {
  const { t } = useI18n();
  const titleId = useId();
  const descriptionId = useId();
  const stacks = stackUsageByDay(entries, days, metric);
  const ticks = axisTicks(stacks.largestTotal);
  const axisMaximum = ticks[ticks.length - 1] ?? 1;
  const plotWidth = WIDTH - MARGIN.left - MARGIN.right;
  const plotHeight = HEIGHT - MARGIN.top - MARGIN.bottom;
  const slotWidth = plotWidth / Math.max(1, stacks.days.length);
  const barWidth = Math.max(2, slotWidth * 0.7);
  // Around eight day labels whatever the range, so they never overlap.
  const labelEvery = Math.max(1, Math.ceil(stacks.days.length / 8));
  const toY = (value: number) => MARGIN.top + plotHeight - (value / axisMaximum) * plotHeight;
  const colourOf = (model: string) => modelColour(stacks.models.indexOf(model));
  const grandTotal = stacks.days.reduce((sum, day) => sum + day.total, 0);

  return (
    <figure className="usage-chart">
      <svg
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        role="img"
        aria-labelledby={`${titleId} ${descriptionId}`}
        className="usage-chart__svg"
        data-testid="usage-chart"
      >
        <title id={titleId}>{t(`usage.chartTitle.${metric}`)}</title>
        <desc id={descriptionId}>
          {t('usage.chartDescription', { from: days[0] ?? '', to: days[days.length - 1] ?? '', total: formatValue(grandTotal) })}
        </desc>
        {ticks.map((value) => {
          const y = toY(value);
          return (
            <g key={value} className="usage-chart__grid" aria-hidden="true">
              <line x1={MARGIN.left} x2={WIDTH - MARGIN.right} y1={y} y2={y} />
              <text x={MARGIN.left - 6} y={y + 4} textAnchor="end">
                {formatTick(value)}
              </text>
            </g>
          );
        })}
        {stacks.days.map((day, index) => {
          const x = MARGIN.left + index * slotWidth + (slotWidth - barWidth) / 2;
          return (
            <g key={day.day} className="usage-chart__day">
              {day.segments.map((segment) => (
                <rect
                  key={segment.model}
                  className="usage-chart__bar"
                  x={x}
                  width={barWidth}
                  y={toY(segment.base + segment.value)}
                  height={Math.max(1, toY(segment.base) - toY(segment.base + segment.value))}
                  fill={colourOf(segment.model)}
                  data-model={segment.model}
                  data-day={day.day}
                >
                  <title>{t('usage.chartSegment', { day: day.day, model: segment.model, value: formatValue(segment.value) })}</title>
                </rect>
              ))}
              {index % labelEvery === 0 ? (
                <text x={x + barWidth / 2} y={HEIGHT - 8} textAnchor="middle" className="usage-chart__label" aria-hidden="true">
                  {day.day.slice(5)}
                </text>
              ) : null}
            </g>
          );
        })}
      </svg>
      <table className="visually-hidden">
        <caption>{t(`usage.chartTitle.${metric}`)}</caption>
        <thead>
          <tr>
            <th scope="col">{t('usage.day')}</th>
            <th scope="col">{t('usage.model')}</th>
            <th scope="col">{t(METRIC_LABELS[metric])}</th>
          </tr>
        </thead>
        <tbody>
          {stacks.days.flatMap((day) =>
            day.segments.map((segment) => (
              <tr key={`${day.day}/${segment.model}`}>
                <td>{day.day}</td>
                <td>{segment.model}</td>
                <td>{formatValue(segment.value)}</td>
              </tr>
            )),
          )}
        </tbody>
      </table>
      {stacks.models.length === 0 ? (
        <figcaption className="muted">{t('usage.chartEmpty')}</figcaption>
      ) : (
        <figcaption>
          <ul className="usage-chart__legend" aria-label={t('usage.chartLegend')}>
            {stacks.models.map((model) => (
              <li key={model}>
                <span className="usage-chart__swatch" style={{ background: colourOf(model) }} aria-hidden="true" />
                {model}
              </li>
            ))}
          </ul>
        </figcaption>
      )}
    </figure>
  );
}
