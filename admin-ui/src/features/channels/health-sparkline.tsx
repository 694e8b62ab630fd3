// A channel's recent health probes as a tiny inline SVG: a latency line, failures marked in red, a <title> on the
// whole picture and on every probe so screen readers and hover tooltips tell the same story.
import { useId } from 'react';
import { useI18n } from '../../i18n/i18n-context';
import { sparklineGeometry, type HealthCheckLike } from './health-sparkline-geometry';

const BOX = { width: 120, height: 28, padding: 4 };
// Inline styles keep the picture self-contained (the theme's colour variables still apply, light and dark).
const OUTCOME_STYLE = {
  up: { fill: 'var(--good)' },
  down: { fill: 'var(--danger)', stroke: 'var(--surface)', strokeWidth: 0.8 },
  inconclusive: { fill: 'var(--muted)' },
} as const;

export function HealthSparkline({ channelName, history }: { channelName: string; history: readonly HealthCheckLike[] }) {
  const { t, formatDateTime } = useI18n();
  const titleId = useId();
  if (history.length === 0) return <span className="muted">{t('channels.healthNoChecks')}</span>;
  const geometry = sparklineGeometry(history, BOX);
  const summary = t('channels.healthSummary', {
    name: channelName,
    count: history.length,
    failures: geometry.failures,
    max: geometry.maxLatencyMs,
  });
  return (
    <svg
      style={{ display: 'block', overflow: 'visible' }}
      width={BOX.width}
      height={BOX.height}
      viewBox={`0 0 ${BOX.width} ${BOX.height}`}
      role="img"
      aria-labelledby={titleId}
      data-testid="health-sparkline"
      data-failures={geometry.failures}
    >
      <title id={titleId}>{summary}</title>
      <line
        style={{ stroke: 'var(--border)', strokeWidth: 1 }}
        x1={BOX.padding}
        x2={BOX.width - BOX.padding}
        y1={BOX.height - BOX.padding}
        y2={BOX.height - BOX.padding}
      />
      {/* A faint red band behind each failed probe, so failures show even when their latency was short. */}
      {geometry.points
        .filter((point) => point.outcome === 'down')
        .map((point, index) => (
          <line
            key={`band-${point.check.at}-${index}`}
            x1={point.x}
            x2={point.x}
            y1={BOX.padding / 2}
            y2={BOX.height - BOX.padding / 2}
            style={{ stroke: 'var(--danger)', strokeOpacity: 0.3, strokeWidth: 4 }}
          />
        ))}
      <path d={geometry.path} style={{ fill: 'none', stroke: 'var(--accent)', strokeWidth: 1.4, strokeLinejoin: 'round' }} />
      {geometry.points.map((point, index) => (
        <circle
          key={`${point.check.at}-${index}`}
          style={OUTCOME_STYLE[point.outcome]}
          cx={point.x}
          cy={point.y}
          r={point.outcome === 'up' ? 1.6 : 2.6}
          data-outcome={point.outcome}
        >
          <title>
            {t('channels.healthPoint', {
              time: formatDateTime(point.check.at),
              outcome: t(`channels.outcome.${point.outcome}`),
              status: point.check.httpStatus ?? t('common.none'),
              ms: point.check.latencyMs,
            })}
          </title>
        </circle>
      ))}
    </svg>
  );
}
