// Builds the executable GraphQL schema from the type-graphql resolvers (no per-app state, so emit-schema can use it).
import 'reflect-metadata';
import { DateTimeResolver } from 'graphql-scalars';
import type { GraphQLSchema } from 'graphql';
import { buildSchema } from 'type-graphql';
import { ChannelResolver } from '../modules/channel/channel.resolver';
import { LedgerResolver } from '../modules/ledger/ledger.resolver';
import { PriceResolver } from '../modules/price/price.resolver';
import { TokenResolver } from '../modules/token/token.resolver';
import { UsageResolver } from '../modules/usage/usage.resolver';
import { UserResolver } from '../modules/user/user.resolver';
import { authChecker } from './auth-checker';

let cached: Promise<GraphQLSchema> | null = null;

export function buildGraphqlSchema(): Promise<GraphQLSchema> {
  cached ??= buildSchema({
    resolvers: [UserResolver, TokenResolver, ChannelResolver, PriceResolver, LedgerResolver, UsageResolver],
    authChecker,
    // Enforced in the guard itself; type-graphql's default would return null for unauthorised fields silently.
    authMode: 'error',
    scalarsMap: [{ type: Date, scalar: DateTimeResolver }],
    validate: false,
    emitSchemaFile: false,
  });
  return cached;
}
