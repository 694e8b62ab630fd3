// Pure helpers behind the usage chart: the UTC day range, and per-day stacks of one metric by model.

export type UsageMetric = 'cost' | 'requests' | 'tokens';

export interface UsageSummaryEntry {
  day: string;
  model: string;
  requests: number;
  errors: number;
  promptTokens: number;
  completionTokens: number;
  cost: number;
}

export interface ChartSegment {
  model: string;
  value: number;
  /** Sum of the segments below this one. */
  base: number;
}

export interface ChartDay {
  day: string;
  total: number;
  segments: ChartSegment[];
}

export interface UsageStacks {
  days: ChartDay[];
  /** Models by descending total over the range, so colours and legend order stay stable. */
  models: string[];
  /** Largest day total (0 when there is no usage). */
  largestTotal: number;
}

const DAY_MILLISECONDS = 86_400_000;

function toDayString(time: number): string {
  return new Date(time).toISOString().slice(0, 10);
}

/** The last `length` UTC days ending today, as the YYYY-MM-DD bounds usageSummary takes (both inclusive). */
export function dayRange(length: number, now: Date): { from: string; to: string } {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  return { from: toDayString(today - (length - 1) * DAY_MILLISECONDS), to: toDayString(today) };
}

/** Every day from `from` to `to` inclusive, so days without usage still get an (empty) slot. */
export function listDays(from: string, to: string): string[] {
  const start = Date.parse(`${from}T00:00:00Z`);
  const end = Date.parse(`${to}T00:00:00Z`);
  if (Number.isNaN(start) || Number.isNaN(end)) return [];
  const days: string[] = [];
  for (let time = start; time <= end; time += DAY_MILLISECONDS) days.push(toDayString(time));
  return days;
}

export function metricValue(entry: UsageSummaryEntry, metric: UsageMetric): number {
  switch (metric) {
    case 'cost':
      return entry.cost;
    case 'requests':
      return entry.requests;
    case 'tokens':
      return entry.promptTokens + entry.completionTokens;
  }
}

export function stackUsageByDay(entries: readonly UsageSummaryEntry[], days: readonly string[], metric: UsageMetric): UsageStacks {
  const modelTotals = new Map<string, number>();
  for (const entry of entries) {
    modelTotals.set(entry.model, (modelTotals.get(entry.model) ?? 0) + metricValue(entry, metric));
  }
  const models = [...modelTotals.keys()].sort(
    (left, right) => (modelTotals.get(right) ?? 0) - (modelTotals.get(left) ?? 0) || left.localeCompare(right),
  );
  let largestTotal = 0;
  const stacked = days.map((day): ChartDay => {
    let base = 0;
    const segments: ChartSegment[] = [];
    for (const model of models) {
      const value = entries
        .filter((entry) => entry.day === day && entry.model === model)
        .reduce((sum, entry) => sum + metricValue(entry, metric), 0);
      if (value <= 0) continue;
      segments.push({ model, value, base });
      base += value;
    }
    largestTotal = Math.max(largestTotal, base);
    return { day, total: base, segments };
  });
  return { days: stacked, models, largestTotal };
}

/**
 * Grid values from 0 up to at least `largest`: a step of 1, 2 or 5 times a power of ten (never below 1, as every
 * metric counts whole units), about four steps in all, so grid lines land on round values.
 */
export function axisTicks(largest: number): number[] {
  const rough = Math.max(1, largest / 4);
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  const step = ([1, 2, 5, 10].find((factor) => factor * magnitude >= rough) ?? 10) * magnitude;
  const steps = Math.max(1, Math.ceil(largest / step));
  return Array.from({ length: steps + 1 }, (_, index) => index * step);
}
