// Pricing: one-api / new-api ratio import (pure conversion, then preview and apply over GraphQL), default list prices,
// price quotes that match billing exactly (group multiplier included), delete.
import { computeCost, redisKeys, snapshotSchema, type Snapshot } from '@nebulagate/schema';
import { convertRatios, parseRatioDocument } from '../src/modules/price/price-ratio-import';
import { errorCode, ROOT_PASSWORD, startHarness, type Harness } from './harness';

describe('ratio conversion', () => {
  test.each([
    // ratio 1 = $2 per 1M prompt tokens = 2,000,000 credits; completion ratio multiplies the prompt price.
    ['gpt-3.5-turbo 0.75 x 1.33', { model_ratio: { m: 0.75 }, completion_ratio: { m: 1.33 } }, { inputPerMillion: 1_500_000, outputPerMillion: 1_995_000, perCall: 0 }],
    ['missing completion ratio = 1', { model_ratio: { m: 1.25 } }, { inputPerMillion: 2_500_000, outputPerMillion: 2_500_000 }],
    ['cache ratios price cache reads and writes', { model_ratio: { m: 1.5 }, completion_ratio: { m: 5 }, cache_ratio: { m: 0.1 }, create_cache_ratio: { m: 1.25 } },
      { inputPerMillion: 3_000_000, outputPerMillion: 15_000_000, cacheReadPerMillion: 300_000, cacheWritePerMillion: 3_750_000 }],
    ['model_price alone = a per-call model', { model_price: { m: 0.04 } }, { inputPerMillion: 0, outputPerMillion: 0, perCall: 40_000 }],
    ['no cache ratio = null (billing falls back to the input price, never 0)', { model_ratio: { m: 1 } }, { cacheReadPerMillion: null, cacheWritePerMillion: null }],
  ])('%s', (_name, document, expected) => {
    expect(convertRatios(document).prices[0]).toMatchObject({ model: 'm', ...expected });
  });

  test('accepts new-api option exports whose maps are JSON strings, and group ratios', () => {
    const parsed = parseRatioDocument(JSON.stringify({ ModelRatio: JSON.stringify({ a: 1 }), GroupRatio: JSON.stringify({ vip: 0.5 }) }));
    expect(parsed.ok).toBe(true);
    if (parsed.ok) expect(convertRatios(parsed.document)).toEqual({ prices: [expect.objectContaining({ model: 'a', inputPerMillion: 2_000_000 })], groupMultipliers: { vip: 0.5 } });
  });

  test.each([
    ['not JSON', '{model_ratio:'],
    ['negative ratio', JSON.stringify({ model_ratio: { m: -1 } })],
    ['unknown field', JSON.stringify({ model_ratios: { m: 1 } })],
    ['zero group ratio', JSON.stringify({ group_ratio: { vip: 0 } })],
  ])('refuses %s', (_name, text) => {
    expect(parseRatioDocument(text).ok).toBe(false);
  });
});

describe('prices over GraphQL', () => {
  let harness: Harness;
  let rootSession: string;
  let userSession: string;
  const IMPORT = `mutation ($input: ImportPriceRatiosInput!) { importPriceRatios(input: $input) {
    applied prices { model inputPerMillion outputPerMillion cacheReadPerMillion perCall existing changed } groupMultipliers { group multiplier } } }`;
  const QUOTE = `query ($input: PriceQuoteInput!) { priceQuote(input: $input) { model multiplier input output cacheRead cacheWrite perCall total totalUsd } }`;

  async function snapshot(): Promise<Snapshot> {
    return snapshotSchema.parse(JSON.parse((await harness.redis.get(redisKeys.snapshotCurrent)) ?? 'null'));
  }

  beforeAll(async () => {
    harness = await startHarness();
    rootSession = await harness.login('root', ROOT_PASSWORD);
    await harness.graphql('mutation { createUser(input: {username: "payer", password: "payer-password"}) { user { id } } }', {}, rootSession);
    userSession = await harness.login('payer', 'payer-password');
  });
  afterAll(async () => {
    await harness.stop();
  });

  test('preview changes nothing; apply saves prices and group multipliers into the snapshot; a re-import changes nothing', async () => {
    const document = JSON.stringify({ model_ratio: { 'old-model': 0.75 }, completion_ratio: { 'old-model': 2 }, model_price: { 'img-model': 0.02 }, group_ratio: { vip: 0.9 } });
    const preview = await harness.graphql<{ importPriceRatios: { applied: boolean; prices: Array<{ model: string; changed: boolean }> } }>(IMPORT, { input: { document } }, rootSession);
    expect(preview.data?.importPriceRatios).toMatchObject({
      applied: false,
      prices: [
        { model: 'img-model', perCall: 20_000, existing: false, changed: true },
        { model: 'old-model', inputPerMillion: 1_500_000, outputPerMillion: 3_000_000, existing: false, changed: true },
      ],
      groupMultipliers: [{ group: 'vip', multiplier: 0.9 }],
    });
    expect((await snapshot()).prices['old-model']).toBeUndefined();

    await harness.graphql(IMPORT, { input: { document, apply: true } }, rootSession);
    const current = await snapshot();
    expect(current.prices['old-model']).toMatchObject({ inputPerMillion: 1_500_000, outputPerMillion: 3_000_000 });
    expect(current.prices['img-model']).toMatchObject({ perCall: 20_000 });
    expect(current.groupMultipliers).toEqual({ vip: 0.9 });

    const again = await harness.graphql<{ importPriceRatios: { prices: Array<{ existing: boolean; changed: boolean }> } }>(IMPORT, { input: { document } }, rootSession);
    expect(again.data?.importPriceRatios.prices.every((row) => row.existing && !row.changed)).toBe(true);
  });

  test('a quote equals what billing computes, with the group multiplier', async () => {
    const usage = { promptTokens: 12_345, completionTokens: 678, cacheReadTokens: 1_000, cacheWriteTokens: 0 };
    const result = await harness.graphql<{ priceQuote: { total: number; multiplier: number; totalUsd: string } }>(QUOTE, { input: { model: 'old-model', ...usage, group: 'vip' } }, userSession);
    const expected = computeCost(usage, { inputPerMillion: 1_500_000, outputPerMillion: 3_000_000, cacheReadPerMillion: null, cacheWritePerMillion: null, perCall: 0 }, 0.9);
    expect(result.data?.priceQuote).toMatchObject({ multiplier: 0.9, total: expected.total, input: expected.input, cacheRead: expected.cacheRead });
    expect(result.data?.priceQuote.totalUsd).toMatch(/^\$0\.\d{6}$/);
    expect(errorCode(await harness.graphql(QUOTE, { input: { model: 'old-model', promptTokens: 1, cacheReadTokens: 2 } }, userSession))).toBe('BAD_USER_INPUT');
    expect(errorCode(await harness.graphql(QUOTE, { input: { model: 'nope' } }, userSession))).toBe('NOT_FOUND');
  });

  test('default prices fill missing models only unless overwrite; delete removes a price from the snapshot', async () => {
    await harness.graphql('mutation { setModelPrice(input: {model: "gpt-4o", inputPerMillion: 1, outputPerMillion: 1}) { price { model } } }', {}, rootSession);
    const applied = await harness.graphql<{ applyDefaultPrices: { prices: Array<{ model: string }>; skipped: string[] } }>(
      'mutation { applyDefaultPrices(input: {overwrite: false}) { prices { model } skipped } }',
      {},
      rootSession,
    );
    expect(applied.data?.applyDefaultPrices.skipped).toEqual(['gpt-4o']);
    expect(applied.data?.applyDefaultPrices.prices.map((price) => price.model)).toContain('claude-sonnet-4-5');
    const current = await snapshot();
    expect(current.prices['gpt-4o']?.inputPerMillion).toBe(1);
    expect(current.prices['claude-sonnet-4-5']).toMatchObject({ inputPerMillion: 3_000_000, outputPerMillion: 15_000_000, cacheReadPerMillion: 300_000, cacheWritePerMillion: 3_750_000 });

    const deleted = await harness.graphql<{ deleteModelPrice: { model: string } }>('mutation { deleteModelPrice(input: {model: "gpt-4o"}) { model } }', {}, rootSession);
    expect(deleted.data?.deleteModelPrice.model).toBe('gpt-4o');
    expect((await snapshot()).prices['gpt-4o']).toBeUndefined();
  });

  test('users cannot import, apply defaults or delete; bad documents are BAD_USER_INPUT', async () => {
    expect(errorCode(await harness.graphql(IMPORT, { input: { document: '{}' } }, userSession))).toBe('FORBIDDEN');
    expect(errorCode(await harness.graphql('mutation { applyDefaultPrices(input: {overwrite: true}) { skipped } }', {}, userSession))).toBe('FORBIDDEN');
    expect(errorCode(await harness.graphql(IMPORT, { input: { document: '{"model_ratio": {"m": "cheap"}}' } }, rootSession))).toBe('BAD_USER_INPUT');
    expect(errorCode(await harness.graphql(IMPORT, { input: { document: '{}' } }, rootSession))).toBe('BAD_USER_INPUT');
  });
});
