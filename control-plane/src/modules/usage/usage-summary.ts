// Daily usage per model for charts: requests, tokens, cost and errors, summed in SQL on the indexed (day, model) pair.
import { raw, type EntityManager } from '@mikro-orm/core';
import type { SqlEntityManager } from '@mikro-orm/knex';
import { Field, InputType, Int, ObjectType } from 'type-graphql';
import { SafeIntResolver } from 'graphql-scalars';
import { assertThat } from '../../graphql/errors';
import { UsageLog, UsageStatus } from './usage-log.entity';

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const MAX_DAYS = 366;

@InputType()
export class UsageSummaryInput {
  @Field(() => String, { description: 'First UTC day, YYYY-MM-DD.' })
  from!: string;

  @Field(() => String, { description: 'Last UTC day (inclusive), YYYY-MM-DD.' })
  to!: string;

  @Field(() => String, { nullable: true, description: "Admins: one user's usage; users always see their own." })
  userId?: string | null;
}

@ObjectType()
export class UsageSummaryRow {
  @Field(() => String)
  day!: string;

  @Field(() => String)
  model!: string;

  @Field(() => Int)
  requests!: number;

  @Field(() => Int)
  errors!: number;

  @Field(() => SafeIntResolver)
  promptTokens!: number;

  @Field(() => SafeIntResolver)
  completionTokens!: number;

  @Field(() => SafeIntResolver)
  cost!: number;
}

export function validateDayRange(input: UsageSummaryInput): void {
  assertThat(DAY.test(input.from) && DAY.test(input.to), 'BAD_USER_INPUT', 'from and to must be YYYY-MM-DD');
  const days = (Date.parse(`${input.to}T00:00:00Z`) - Date.parse(`${input.from}T00:00:00Z`)) / 86_400_000;
  assertThat(Number.isFinite(days) && days >= 0 && days < MAX_DAYS, 'BAD_USER_INPUT', `the range must be 1-${MAX_DAYS} days, from <= to`);
}

export async function summariseUsage(em: EntityManager, ownerId: string | null, from: string, to: string): Promise<UsageSummaryRow[]> {
  const builder = (em as SqlEntityManager)
    .createQueryBuilder(UsageLog, 'log')
    .select([
      'log.day',
      'log.model',
      raw('count(*) as requests'),
      raw(`sum(case when log.status = '${UsageStatus.SUCCESS}' then 0 else 1 end) as errors`),
      raw('sum(log.prompt_tokens) as prompt_tokens'),
      raw('sum(log.completion_tokens) as completion_tokens'),
      raw('sum(log.cost) as cost'),
    ])
    .where({ day: { $gte: from, $lte: to }, ...(ownerId ? { userId: ownerId } : {}) })
    .groupBy(['log.day', 'log.model'])
    .orderBy({ day: 'asc', model: 'asc' });
  const rows = await builder.execute<Array<Record<string, unknown>>>('all', false);
  // Drivers return sums as strings (PostgreSQL bigint) or numbers (SQLite).
  return rows.map((row) => ({
    day: String(row.day),
    model: String(row.model),
    requests: Number(row.requests),
    errors: Number(row.errors),
    promptTokens: Number(row.prompt_tokens),
    completionTokens: Number(row.completion_tokens),
    cost: Number(row.cost),
  }));
}
