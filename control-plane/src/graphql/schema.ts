// Builds the executable GraphQL schema from the type-graphql resolvers (no per-app state, so emit-schema can use it).
import 'reflect-metadata';
import { DateTimeResolver } from 'graphql-scalars';
import type { GraphQLSchema } from 'graphql';
import { buildSchema } from 'type-graphql';
import { ChannelResolver } from '../modules/channel/channel.resolver';
import { SettingResolver } from '../modules/setting/setting.resolver';
import { GovernanceResolver } from '../modules/governance/governance.resolver';
import { LedgerResolver } from '../modules/ledger/ledger.resolver';
import { PlanResolver } from '../modules/plan/plan.resolver';
import { PriceResolver } from '../modules/price/price.resolver';
import { TokenResolver } from '../modules/token/token.resolver';
import { UsageResolver } from '../modules/usage/usage.resolver';
import { UserResolver } from '../modules/user/user.resolver';
import { AuditResolver } from '../modules/audit/audit.resolver';
import { PaymentResolver } from '../modules/payment/payment.resolver';
import { VoucherResolver } from '../modules/voucher/voucher.resolver';
import { authChecker } from './auth-checker';

let cached: Promise<GraphQLSchema> | null = null;

export function buildGraphqlSchema(): Promise<GraphQLSchema> {
  cached ??= buildSchema({
    resolvers: [UserResolver, TokenResolver, ChannelResolver, PriceResolver, LedgerResolver, UsageResolver, GovernanceResolver, PlanResolver, VoucherResolver, PaymentResolver, AuditResolver, SettingResolver],
    authChecker,
    // Enforced in the guard itself; type-graphql's default would return null for unauthorised fields silently.
    authMode: 'error',
    scalarsMap: [{ type: Date, scalar: DateTimeResolver }],
    validate: false,
    emitSchemaFile: false,
  });
  return cached;
}
