// An API key for the data plane. Only sha256(key) is stored; the key itself is shown once at creation.
import { randomUUID } from 'node:crypto';
import { NO_LIMITS, type Limits } from '@nebulagate/schema';
import { BigIntType, Entity, ManyToOne, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import { SafeIntResolver } from 'graphql-scalars';
import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { User } from '../user/user.entity';
import { LimitsType } from '../setting/setting.types';

export enum TokenStatus {
  ACTIVE = 'active',
  REVOKED = 'revoked',
  DISABLED = 'disabled',
}
registerEnumType(TokenStatus, { name: 'TokenStatus' });

@ObjectType()
@Entity({ tableName: 'api_tokens' })
export class ApiToken {
  [OptionalProps]?: 'id' | 'status' | 'expiresAt' | 'models' | 'userId' | 'quota' | 'unlimitedQuota' | 'quotaUsed' | 'limits' | 'group' | 'ipAllowList' | 'createdAt' | 'updatedAt';

  @Field(() => ID)
  @PrimaryKey({ type: 'string', length: 36 })
  id: string = randomUUID();

  @Property({ type: 'string', length: 64, unique: true, hidden: true })
  keyHash!: string;

  @Field(() => String, { description: 'First characters of the key, e.g. sk-ng-Ab3x…; the whole key is shown once at creation.' })
  @Property({ type: 'string', length: 32 })
  keyPrefix!: string;

  @Field(() => String)
  @Property({ type: 'string', length: 128 })
  name!: string;

  @Field(() => TokenStatus)
  @Property({ type: 'string', length: 16 })
  status: TokenStatus = TokenStatus.ACTIVE;

  @Field(() => Date, { nullable: true })
  @Property({ type: 'datetime', nullable: true })
  expiresAt: Date | null = null;

  @Field(() => [String], { nullable: true })
  @Property({ type: 'json', nullable: true })
  models: string[] | null = null;

  @Field(() => SafeIntResolver, { description: 'Credits this key may spend in total (ignored when unlimitedQuota).' })
  @Property({ type: new BigIntType('number') })
  quota: number = 0;

  @Field(() => Boolean, { description: 'True = no spending cap on this key (the owner\'s balance still applies).' })
  @Property({ type: 'boolean' })
  unlimitedQuota: boolean = true;

  @Field(() => String, { nullable: true, description: "Routing group of this key; null = the owner's group." })
  @Property({ type: 'string', length: 64, nullable: true, fieldName: 'token_group' })
  group: string | null = null;

  @Field(() => [String], { nullable: true, description: 'Client IPs / CIDR ranges allowed to use this key; null = any.' })
  @Property({ type: 'json', nullable: true })
  ipAllowList: string[] | null = null;

  @Field(() => LimitsType, { description: 'Rate caps of this key (requests/tokens per minute, concurrent requests).' })
  @Property({ type: 'json' })
  limits: Limits = { ...NO_LIMITS };

  @Field(() => SafeIntResolver, { description: 'Credits billed to this key so far (SQL; the live remainder is in Redis).' })
  @Property({ type: new BigIntType('number') })
  quotaUsed: number = 0;

  @ManyToOne(() => User, { deleteRule: 'cascade' })
  user!: User;

  @Field(() => ID)
  get userId(): string {
    return this.user.id;
  }

  @Field(() => Date)
  @Property({ type: 'datetime' })
  createdAt: Date = new Date();

  @Property({ type: 'datetime', onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}
