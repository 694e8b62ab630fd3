// Plan periods as stable keys: the reset of one (user, period) happens once because its postings are keyed by it.
export const PLAN_PERIODS = ['day', 'week', 'month'] as const;
export type PlanPeriod = (typeof PLAN_PERIODS)[number];

function pad(value: number): string {
  return String(value).padStart(2, '0');
}

/** UTC period key of `now`: `d-2026-11-23`, `w-2026-11-23` (the Monday that starts the week), `m-2026-11`. */
export function periodKeyOf(period: PlanPeriod, now: Date): string {
  const year = now.getUTCFullYear();
  const month = now.getUTCMonth();
  const day = now.getUTCDate();
  if (period === 'month') return `m-${year}-${pad(month + 1)}`;
  if (period === 'day') return `d-${year}-${pad(month + 1)}-${pad(day)}`;
  // Monday-based weeks: step back (weekday + 6) % 7 days.
  const monday = new Date(Date.UTC(year, month, day - ((now.getUTCDay() + 6) % 7)));
  return `w-${monday.getUTCFullYear()}-${pad(monday.getUTCMonth() + 1)}-${pad(monday.getUTCDate())}`;
}

/** UTC start of the period `count` periods after the one holding `now` (count 1 = the next period's first second). */
export function periodStartAfter(period: PlanPeriod, now: Date, count: number): Date {
  const year = now.getUTCFullYear();
  const month = now.getUTCMonth();
  const day = now.getUTCDate();
  if (period === 'month') return new Date(Date.UTC(year, month + count, 1));
  if (period === 'day') return new Date(Date.UTC(year, month, day + count));
  return new Date(Date.UTC(year, month, day - ((now.getUTCDay() + 6) % 7) + 7 * count));
}

/** `date` moved `count` periods later (calendar months for month; a day past the end of a month rolls over). */
export function addPeriods(period: PlanPeriod, date: Date, count: number): Date {
  const moved = new Date(date.getTime());
  if (period === 'month') moved.setUTCMonth(moved.getUTCMonth() + count);
  else moved.setUTCDate(moved.getUTCDate() + (period === 'week' ? 7 * count : count));
  return moved;
}

/** Cron pattern (UTC) of the scheduler that resets one period: the first second of each period. */
export function resetCronOf(period: PlanPeriod): string {
  if (period === 'day') return '0 0 0 * * *';
  if (period === 'week') return '0 0 0 * * 1';
  return '0 0 0 1 * *';
}

/** What a new period starts with: rollover keeps at most `rolloverCap` of what was left (null = no rollover). */
export function nextAllowance(remaining: number, allowance: number, rolloverCap: number | null): { carried: number; expired: number; granted: number } {
  const carried = rolloverCap === null ? 0 : Math.min(Math.max(remaining, 0), rolloverCap);
  return { carried, expired: remaining - carried, granted: allowance };
}
