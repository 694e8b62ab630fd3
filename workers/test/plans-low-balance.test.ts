// The low-balance alert rule as a table: it fires only on the posting that crosses the threshold downwards.
import { lowBalanceCrossed } from '@nebulagate/control-plane';

test.each([
  [1_000, 1_500, 900, true],
  [1_000, 1_000, 999, true],
  [1_000, 999, 500, false],
  [1_000, 1_500, 1_000, false],
  [1_000, 900, 1_200, false],
  [0, 10, -5, true],
] as const)('threshold %d, balance %d -> %d: alert %s', (threshold, before, after, expected) => {
  expect(lowBalanceCrossed(threshold, before, after)).toBe(expected);
});
