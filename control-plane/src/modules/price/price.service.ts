// Model prices (integer credits per 1M tokens). Every change schedules a snapshot compile.
import type { EntityManager } from '@mikro-orm/core';
import { assertThat } from '../../graphql/errors';
import type { RedisPublisher } from '../../snapshot/redis-publisher';
import type { Actor } from '../actor';
import { recordAudit } from '../audit/audit.service';
import type { SetModelPriceInput } from './price.input';
import { ModelPrice } from './price.entity';

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

export class PriceService {
  constructor(private readonly publisher: RedisPublisher) {}

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
