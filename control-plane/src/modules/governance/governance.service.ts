// Governance rules: validated on save (patterns must be safe to run on every prompt), audited, compiled into the
// snapshot; every change is live on the data planes before the mutation returns.
import type { EntityManager } from '@mikro-orm/core';
import type { GovernanceRule } from '@nebulagate/schema';
import { assertThat } from '../../graphql/errors';
import type { RedisPublisher } from '../../snapshot/redis-publisher';
import type { Actor } from '../actor';
import { recordAudit } from '../audit/audit.service';
import { GovernanceAction, GovernanceRuleEntity } from './governance-rule.entity';
import type { GovernanceRuleInput, UpdateGovernanceRuleInput } from './governance.input';
import { patternProblem } from './pattern-safety';

const MAX_PATTERNS = 50;
const MAX_KEYWORDS = 500;

function cleanList(values: string[] | null | undefined, field: string): string[] | null {
  if (values === null || values === undefined) return null;
  const cleaned = [...new Set(values.map((value) => value.trim()).filter((value) => value.length > 0))];
  assertThat(cleaned.every((value) => value.length <= 255), 'BAD_USER_INPUT', `each ${field} entry must be at most 255 characters`);
  return cleaned;
}

function optionalText(value: string | null | undefined, field: string, maxLength: number): string | null {
  const trimmed = value?.trim() ?? '';
  assertThat(trimmed.length <= maxLength, 'BAD_USER_INPUT', `${field} must be at most ${maxLength} characters`);
  return trimmed.length > 0 ? trimmed : null;
}

function validated(input: GovernanceRuleInput): Omit<GovernanceRuleEntity, 'id' | 'createdAt' | 'updatedAt'> {
  const name = input.name.trim();
  assertThat(name.length >= 1 && name.length <= 255, 'BAD_USER_INPUT', 'name must be 1-255 characters');
  assertThat(Number.isSafeInteger(input.order), 'BAD_USER_INPUT', 'order must be an integer');
  const patterns = input.patterns.filter((pattern) => pattern.length > 0);
  assertThat(patterns.length <= MAX_PATTERNS, 'BAD_USER_INPUT', `at most ${MAX_PATTERNS} patterns per rule`);
  for (const pattern of patterns) {
    const problem = patternProblem(pattern);
    assertThat(problem === null, 'BAD_USER_INPUT', `pattern ${JSON.stringify(pattern.slice(0, 60))}: ${problem}`);
  }
  const keywords = cleanList(input.keywords, 'keyword') ?? [];
  assertThat(keywords.length <= MAX_KEYWORDS, 'BAD_USER_INPUT', `at most ${MAX_KEYWORDS} keywords per rule`);
  const rerouteModel = optionalText(input.rerouteModel, 'rerouteModel', 255);
  const tag = optionalText(input.tag, 'tag', 255);
  assertThat(input.action !== GovernanceAction.REROUTE || rerouteModel, 'BAD_USER_INPUT', 'a reroute rule needs rerouteModel');
  assertThat(input.action !== GovernanceAction.TAG || tag, 'BAD_USER_INPUT', 'a tag rule needs tag');
  assertThat(input.action !== GovernanceAction.MASK || patterns.length + keywords.length > 0, 'BAD_USER_INPUT', 'a mask rule needs a pattern or keyword to mask');
  assertThat(input.maskWith.length <= 255, 'BAD_USER_INPUT', 'maskWith must be at most 255 characters');
  return {
    name,
    order: input.order,
    enabled: input.enabled,
    patterns,
    keywords,
    caseSensitive: input.caseSensitive,
    models: cleanList(input.models, 'model'),
    paths: cleanList(input.paths, 'path'),
    groups: cleanList(input.groups, 'group'),
    tokenIds: cleanList(input.tokenIds, 'token id'),
    action: input.action,
    // Stored verbatim: the data plane inserts it literally (no `$1`-style references).
    maskWith: input.maskWith,
    rerouteModel,
    blockMessage: optionalText(input.blockMessage, 'blockMessage', 1024),
    tag,
    recordMatch: input.recordMatch,
  };
}

function summary(rule: GovernanceRuleEntity): Record<string, unknown> {
  const { createdAt: _created, updatedAt: _updated, ...fields } = rule;
  return { ...fields };
}

/** The snapshot form of an enabled rule. */
export function compileGovernanceRule(rule: GovernanceRuleEntity): GovernanceRule {
  return {
    id: rule.id,
    name: rule.name,
    order: rule.order,
    match: {
      patterns: [...rule.patterns],
      keywords: [...rule.keywords],
      caseSensitive: rule.caseSensitive,
      models: rule.models ? [...rule.models] : null,
      paths: rule.paths ? [...rule.paths] : null,
      groups: rule.groups ? [...rule.groups] : null,
      tokenIds: rule.tokenIds ? [...rule.tokenIds] : null,
    },
    action: rule.action,
    maskWith: rule.maskWith,
    rerouteModel: rule.rerouteModel,
    blockMessage: rule.blockMessage,
    tag: rule.tag,
    recordMatch: rule.recordMatch,
  };
}

export class GovernanceService {
  constructor(private readonly publisher: RedisPublisher) {}

  list(em: EntityManager): Promise<GovernanceRuleEntity[]> {
    return em.find(GovernanceRuleEntity, {}, { orderBy: { order: 'asc', createdAt: 'asc' } });
  }

  async create(em: EntityManager, actor: Actor, input: GovernanceRuleInput): Promise<GovernanceRuleEntity> {
    const rule = em.create(GovernanceRuleEntity, validated(input));
    recordAudit(em, { actorId: actor.user?.id ?? null, action: 'governance-rule.create', target: rule.id, after: summary(rule), ip: actor.ip });
    await em.flush();
    await this.publisher.scheduleSnapshot();
    return rule;
  }

  async update(em: EntityManager, actor: Actor, input: UpdateGovernanceRuleInput): Promise<GovernanceRuleEntity> {
    const rule = await em.findOne(GovernanceRuleEntity, { id: input.id });
    assertThat(rule, 'NOT_FOUND', 'governance rule not found');
    const before = summary(rule);
    em.assign(rule, validated(input));
    recordAudit(em, { actorId: actor.user?.id ?? null, action: 'governance-rule.update', target: rule.id, before, after: summary(rule), ip: actor.ip });
    await em.flush();
    await this.publisher.scheduleSnapshot();
    return rule;
  }

  async delete(em: EntityManager, actor: Actor, id: string): Promise<string> {
    const rule = await em.findOne(GovernanceRuleEntity, { id });
    assertThat(rule, 'NOT_FOUND', 'governance rule not found');
    recordAudit(em, { actorId: actor.user?.id ?? null, action: 'governance-rule.delete', target: rule.id, before: summary(rule), ip: actor.ip });
    em.remove(rule);
    await em.flush();
    await this.publisher.scheduleSnapshot();
    return id;
  }
}
