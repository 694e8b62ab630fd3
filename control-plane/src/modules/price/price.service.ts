// Model prices (integer credits per 1M tokens). Every change schedules a snapshot compile.
import type { EntityManager } from '@mikro-orm/core';
import { computeCost, formatCreditsAsUsd } from '@nebulagate/schema';
import { appError, assertThat } from '../../graphql/errors';
import type { RedisPublisher } from '../../snapshot/redis-publisher';
import type { Actor } from '../actor';
import { recordAudit } from '../audit/audit.service';
import { loadGatewaySettings, type SettingService } from '../setting/setting.service';
import { DEFAULT_PRICES } from './default-prices';
import type { SetModelPriceInput } from './price.input';
import { ModelPrice } from './price.entity';
import { convertRatios, parseRatioDocument, type ImportedPrice } from './price-ratio-import';
import type { ImportPriceRatiosPayload, PriceQuote, PriceQuoteInput } from './price.types';

function priceSummary(price: ModelPrice): Record<string, unknown> {
  return {
    model: price.model, inputPerMillion: price.inputPerMillion, outputPerMillion: price.outputPerMillion, cacheReadPerMillion: price.cacheReadPerMillion,
    cacheWritePerMillion: price.cacheWritePerMillion, perCall: price.perCall, defaultMaxOutputTokens: price.defaultMaxOutputTokens,
  };
}

function nonNegative(value: number | null | undefined, field: string): void {
  if (value === null || value === undefined) return;
  assertThat(Number.isSafeInteger(value) && value >= 0, 'BAD_USER_INPUT', `${field} must be a non-negative integer`);
}

function samePrice(price: ModelPrice, imported: ImportedPrice): boolean {
  return (
    price.inputPerMillion === imported.inputPerMillion &&
    price.outputPerMillion === imported.outputPerMillion &&
    price.cacheReadPerMillion === imported.cacheReadPerMillion &&
    price.cacheWritePerMillion === imported.cacheWritePerMillion &&
    price.perCall === imported.perCall
  );
}

const MAX_TOKENS_IN_QUOTE = 100_000_000;

export class PriceService {
  constructor(
    private readonly publisher: RedisPublisher,
    private readonly settings: SettingService,
  ) {}

  /** Writes imported/default prices (persist only; the caller flushes); returns the rows written. */
  private upsert(em: EntityManager, actor: Actor, existing: Map<string, ModelPrice>, rows: readonly ImportedPrice[], action: string): ModelPrice[] {
    const written: ModelPrice[] = [];
    for (const row of rows) {
      let price = existing.get(row.model);
      if (price && samePrice(price, row)) continue;
      const before = price ? priceSummary(price) : null;
      if (!price) price = em.create(ModelPrice, { model: row.model });
      price.inputPerMillion = row.inputPerMillion;
      price.outputPerMillion = row.outputPerMillion;
      price.cacheReadPerMillion = row.cacheReadPerMillion;
      price.cacheWritePerMillion = row.cacheWritePerMillion;
      price.perCall = row.perCall;
      recordAudit(em, { actorId: actor.user?.id ?? null, action, target: row.model, before, after: priceSummary(price), ip: actor.ip });
      written.push(price);
    }
    return written;
  }

  async importRatios(em: EntityManager, actor: Actor, document: string, apply: boolean): Promise<ImportPriceRatiosPayload> {
    assertThat(document.length <= 2_000_000, 'BAD_USER_INPUT', 'the document is larger than 2 MB');
    const parsed = parseRatioDocument(document);
    if (!parsed.ok) throw appError('BAD_USER_INPUT', parsed.message);
    const imported = convertRatios(parsed.document);
    assertThat(imported.prices.length > 0 || Object.keys(imported.groupMultipliers).length > 0, 'BAD_USER_INPUT', 'the document holds no ratios');
    const existing = new Map((await em.find(ModelPrice, { model: { $in: imported.prices.map((price) => price.model) } })).map((price) => [price.model, price]));
    const rows = imported.prices.map((price) => {
      const current = existing.get(price.model);
      return { ...price, existing: current !== undefined, changed: current === undefined || !samePrice(current, price) };
    });
    if (apply) {
      this.upsert(em, actor, existing, imported.prices, 'price.import');
      if (Object.keys(imported.groupMultipliers).length > 0) await this.settings.mergeGroupMultipliers(em, actor, imported.groupMultipliers);
      await em.flush();
      await this.publisher.scheduleSnapshot();
    }
    return { prices: rows, groupMultipliers: Object.entries(imported.groupMultipliers).map(([group, multiplier]) => ({ group, multiplier })), applied: apply };
  }

  async applyDefaults(em: EntityManager, actor: Actor, overwrite: boolean): Promise<{ prices: ModelPrice[]; skipped: string[] }> {
    const existing = new Map((await em.find(ModelPrice, { model: { $in: DEFAULT_PRICES.map((price) => price.model) } })).map((price) => [price.model, price]));
    const skipped = overwrite ? [] : DEFAULT_PRICES.filter((price) => existing.has(price.model)).map((price) => price.model);
    const rows = overwrite ? DEFAULT_PRICES : DEFAULT_PRICES.filter((price) => !existing.has(price.model));
    const prices = this.upsert(em, actor, existing, rows, 'price.default');
    await em.flush();
    await this.publisher.scheduleSnapshot();
    return { prices, skipped };
  }

  async deletePrice(em: EntityManager, actor: Actor, model: string): Promise<string> {
    const price = await em.findOne(ModelPrice, { model });
    assertThat(price, 'NOT_FOUND', 'no price for this model');
    recordAudit(em, { actorId: actor.user?.id ?? null, action: 'price.delete', target: model, before: priceSummary(price), ip: actor.ip });
    em.remove(price);
    await em.flush();
    await this.publisher.scheduleSnapshot();
    return model;
  }

  /** What a request with these token counts would cost the caller's group (or the given group), exactly as billed. */
  async quote(em: EntityManager, actor: Actor, input: PriceQuoteInput): Promise<PriceQuote> {
    for (const [field, value] of Object.entries({ promptTokens: input.promptTokens, completionTokens: input.completionTokens, cacheReadTokens: input.cacheReadTokens, cacheWriteTokens: input.cacheWriteTokens })) {
      assertThat(Number.isSafeInteger(value) && value >= 0 && value <= MAX_TOKENS_IN_QUOTE, 'BAD_USER_INPUT', `${field} must be 0-${MAX_TOKENS_IN_QUOTE}`);
    }
    assertThat(input.cacheReadTokens + input.cacheWriteTokens <= input.promptTokens, 'BAD_USER_INPUT', 'cache tokens are part of promptTokens');
    const price = await em.findOne(ModelPrice, { model: input.model });
    assertThat(price, 'NOT_FOUND', 'no price for this model');
    const group = input.group ?? actor.user?.group ?? 'default';
    const multiplier = (await loadGatewaySettings(em)).groupMultipliers[group] ?? 1;
    const cost = computeCost(
      { promptTokens: input.promptTokens, completionTokens: input.completionTokens, cacheReadTokens: input.cacheReadTokens, cacheWriteTokens: input.cacheWriteTokens },
      price,
      multiplier,
    );
    return { model: price.model, multiplier, input: cost.input, output: cost.output, cacheRead: cost.cacheRead, cacheWrite: cost.cacheWrite, perCall: cost.perCall, total: cost.total, totalUsd: formatCreditsAsUsd(cost.total) };
  }

  async setModelPrice(em: EntityManager, actor: Actor, input: SetModelPriceInput): Promise<ModelPrice> {
    const model = input.model.trim();
    assertThat(model.length >= 1 && model.length <= 255, 'BAD_USER_INPUT', 'model must be 1-255 characters');
    nonNegative(input.inputPerMillion, 'inputPerMillion');
    nonNegative(input.outputPerMillion, 'outputPerMillion');
    nonNegative(input.cacheReadPerMillion, 'cacheReadPerMillion');
    nonNegative(input.cacheWritePerMillion, 'cacheWritePerMillion');
    nonNegative(input.perCall, 'perCall');
    if (input.defaultMaxOutputTokens !== null && input.defaultMaxOutputTokens !== undefined) {
      assertThat(input.defaultMaxOutputTokens > 0, 'BAD_USER_INPUT', 'defaultMaxOutputTokens must be positive');
    }
    let price = await em.findOne(ModelPrice, { model });
    const before = price ? priceSummary(price) : null;
    if (!price) price = em.create(ModelPrice, { model });
    price.inputPerMillion = input.inputPerMillion;
    price.outputPerMillion = input.outputPerMillion;
    price.cacheReadPerMillion = input.cacheReadPerMillion ?? null;
    price.cacheWritePerMillion = input.cacheWritePerMillion ?? null;
    price.perCall = input.perCall ?? 0;
    price.defaultMaxOutputTokens = input.defaultMaxOutputTokens ?? null;
    recordAudit(em, { actorId: actor.user?.id ?? null, action: 'price.set', target: model, before, after: priceSummary(price), ip: actor.ip });
    await em.flush();
    await this.publisher.scheduleSnapshot();
    return price;
  }

  listPrices(em: EntityManager): Promise<ModelPrice[]> {
    return em.find(ModelPrice, {}, { orderBy: { model: 'asc' } });
  }
}
