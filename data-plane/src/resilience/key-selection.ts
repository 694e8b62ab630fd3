// Which of a channel's usable keys an attempt uses: random, or round-robin per node (a shared counter would cost a
// Redis call per request; per-node rotation spreads load just as evenly across many requests).

export type KeySelection = 'random' | 'round-robin';

/** Round-robin counters per channel object; a new snapshot brings new channel objects and fresh counters. */
const roundRobinCounters = new WeakMap<object, number>();

export function nextRoundRobin(channel: object): number {
  const next = roundRobinCounters.get(channel) ?? 0;
  roundRobinCounters.set(channel, next + 1);
  return next;
}

/** Picks one entry of `usableIndexes` (positions in the channel's key list). */
export function selectKeyIndex(usableIndexes: readonly number[], selection: KeySelection, counter: () => number, random: () => number): number {
  if (usableIndexes.length === 1) return usableIndexes[0] as number;
  const position = selection === 'round-robin' ? counter() % usableIndexes.length : Math.floor(random() * usableIndexes.length);
  return usableIndexes[position] as number;
}
