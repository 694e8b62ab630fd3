import { computeCost, formatCreditsAsUsd, type ModelPriceTable } from '@nebulagate/schema';

const gpt4oMini: ModelPriceTable = {
  inputPerMillion: 150_000, // $0.15 / 1M
  outputPerMillion: 600_000, // $0.60 / 1M
  cacheReadPerMillion: 75_000,
  cacheWritePerMillion: null,
  perCall: 0,
};

describe('computeCost', () => {
  it.each([
    ['plain prompt and completion', { promptTokens: 1000, completionTokens: 500, cacheReadTokens: 0, cacheWriteTokens: 0 }, 150 + 300],
    ['cache reads at cache price, never twice', { promptTokens: 1000, completionTokens: 0, cacheReadTokens: 400, cacheWriteTokens: 0 }, 90 + 30],
    ['missing cache-write price falls back to input price, not 0', { promptTokens: 1000, completionTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 1000 }, 150],
    ['rounds each component up', { promptTokens: 1, completionTokens: 1, cacheReadTokens: 0, cacheWriteTokens: 0 }, 2],
    ['no tokens costs nothing', { promptTokens: 0, completionTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0 }, 0],
  ])('%s', (_name, usage, expected) => {
    expect(computeCost(usage, gpt4oMini).total).toBe(expected);
  });

  it('adds the per-call price and applies the group multiplier to the sum', () => {
    const cost = computeCost({ promptTokens: 1000, completionTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0 }, { ...gpt4oMini, perCall: 50 }, 1.5);
    expect(cost.perCall).toBe(50);
    expect(cost.total).toBe(300);
  });
});

describe('formatCreditsAsUsd', () => {
  it.each([
    [1_234_567, '$1.234567'],
    [5, '$0.000005'],
    [-2_000_000, '-$2.000000'],
  ])('%d credits -> %s', (credits, text) => {
    expect(formatCreditsAsUsd(credits)).toBe(text);
  });
});
