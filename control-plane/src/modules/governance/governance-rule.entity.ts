// A governance rule as stored: compiled into snapshot.governanceRules (schema/src/snapshot.ts) when enabled.
import { randomUUID } from 'node:crypto';
import { Entity, Enum, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';

export enum GovernanceAction {
  BLOCK = 'block',
  MASK = 'mask',
  REROUTE = 'reroute',
  TAG = 'tag',
}
registerEnumType(GovernanceAction, { name: 'GovernanceAction', description: 'What a matching rule does to the request.' });

@ObjectType()
@Entity({ tableName: 'governance_rules' })
export class GovernanceRuleEntity {
  [OptionalProps]?: 'id' | 'enabled' | 'createdAt' | 'updatedAt';

  @Field(() => ID)
  @PrimaryKey({ type: 'string', length: 36 })
  id: string = randomUUID();

  @Field(() => String)
  @Property({ type: 'string', length: 255 })
  name!: string;

  @Field(() => Int, { description: 'Rules run in ascending order; the first block or reroute ends evaluation.' })
  @Property({ type: 'integer', fieldName: 'sort_order' })
  order!: number;

  @Field(() => Boolean)
  @Property({ type: 'boolean' })
  enabled: boolean = true;

  @Field(() => [String], { description: 'Regular expressions (JavaScript syntax) tested against the prompt text.' })
  @Property({ type: 'json' })
  patterns!: string[];

  @Field(() => [String], { description: 'Plain keywords (substring match).' })
  @Property({ type: 'json' })
  keywords!: string[];

  @Field(() => Boolean)
  @Property({ type: 'boolean' })
  caseSensitive!: boolean;

  @Field(() => [String], { nullable: true, description: 'Scope: null = any model.' })
  @Property({ type: 'json', nullable: true })
  models!: string[] | null;

  @Field(() => [String], { nullable: true, description: 'Scope: request paths, e.g. /v1/chat/completions; null = any.' })
  @Property({ type: 'json', nullable: true })
  paths!: string[] | null;

  @Field(() => [String], { nullable: true, description: 'Scope: user groups; null = any.' })
  @Property({ type: 'json', nullable: true, fieldName: 'scope_groups' })
  groups!: string[] | null;

  @Field(() => [String], { nullable: true, description: 'Scope: API token ids; null = any.' })
  @Property({ type: 'json', nullable: true })
  tokenIds!: string[] | null;

  @Field(() => GovernanceAction)
  @Enum({ items: () => GovernanceAction, type: 'string' })
  action!: GovernanceAction;

  @Field(() => String)
  @Property({ type: 'string', length: 255 })
  maskWith!: string;

  @Field(() => String, { nullable: true })
  @Property({ type: 'string', length: 255, nullable: true })
  rerouteModel!: string | null;

  @Field(() => String, { nullable: true })
  @Property({ type: 'string', length: 1024, nullable: true })
  blockMessage!: string | null;

  @Field(() => String, { nullable: true })
  @Property({ type: 'string', length: 255, nullable: true })
  tag!: string | null;

  @Field(() => Boolean, { description: 'Keep the matched excerpt in the audit record (off: no prompt text in audits).' })
  @Property({ type: 'boolean' })
  recordMatch!: boolean;

  @Field(() => Date)
  @Property({ type: 'datetime' })
  createdAt: Date = new Date();

  @Field(() => Date)
  @Property({ type: 'datetime', onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}
