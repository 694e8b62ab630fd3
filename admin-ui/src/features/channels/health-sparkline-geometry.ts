// Pure geometry of the health sparkline: recent probes (oldest first) -> points in a small box, latency on the y axis.

export type ProbeOutcome = 'up' | 'down' | 'inconclusive';

export interface HealthCheckLike {
  at: string;
  outcome: string;
  latencyMs: number;
  httpStatus?: number | null;
}

export interface SparklinePoint {
  x: number;
  y: number;
  outcome: ProbeOutcome;
  check: HealthCheckLike;
}

export interface SparklineGeometry {
  points: SparklinePoint[];
  /** SVG path through every point, empty when there are no checks. */
  path: string;
  /** The latency the top of the box stands for. */
  maxLatencyMs: number;
  failures: number;
}

export interface SparklineBox {
  width: number;
  height: number;
  /** Room kept free around the plot so markers are not clipped. */
  padding: number;
}

/** Unknown words from a newer server count as inconclusive rather than breaking the picture. */
export function probeOutcomeOf(outcome: string): ProbeOutcome {
  return outcome === 'up' || outcome === 'down' ? outcome : 'inconclusive';
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}

export function sparklineGeometry(history: readonly HealthCheckLike[], box: SparklineBox): SparklineGeometry {
  const { width, height, padding } = box;
  const plotWidth = width - 2 * padding;
  const plotHeight = height - 2 * padding;
  const maxLatencyMs = Math.max(1, ...history.map((check) => Math.max(0, check.latencyMs)));
  const step = history.length > 1 ? plotWidth / (history.length - 1) : 0;
  const points = history.map((check, index): SparklinePoint => ({
    // A single check sits in the middle rather than on the left edge.
    x: round(history.length > 1 ? padding + index * step : width / 2),
    y: round(padding + plotHeight - (Math.max(0, check.latencyMs) / maxLatencyMs) * plotHeight),
    outcome: probeOutcomeOf(check.outcome),
    check,
  }));
  const path = points.map((point, index) => `${index === 0 ? 'M' : 'L'}${point.x} ${point.y}`).join(' ');
  return { points, path, maxLatencyMs, failures: points.filter((point) => point.outcome === 'down').length };
}
