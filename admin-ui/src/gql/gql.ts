/* eslint-disable */
import * as types from './graphql';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  query Me {\n    me {\n      id\n      username\n      role\n    }\n  }\n": typeof types.MeDocument,
    "\n  mutation Login($input: LoginInput!) {\n    login(input: $input) {\n      user {\n        id\n        username\n        role\n      }\n    }\n  }\n": typeof types.LoginDocument,
    "\n  mutation Logout {\n    logout\n  }\n": typeof types.LogoutDocument,
    "\n  query Channels($first: Int, $after: String) {\n    channels(first: $first, after: $after) {\n      edges {\n        cursor\n        node {\n          id\n          name\n          type\n          baseUrl\n          models\n          priority\n          weight\n          status\n          keyCount\n          keyHint\n          createdAt\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": typeof types.ChannelsDocument,
    "\n  mutation CreateChannel($input: CreateChannelInput!) {\n    createChannel(input: $input) {\n      channel {\n        id\n        name\n      }\n    }\n  }\n": typeof types.CreateChannelDocument,
    "\n  query Tokens($first: Int, $after: String) {\n    tokens(first: $first, after: $after) {\n      edges {\n        cursor\n        node {\n          id\n          name\n          keyPrefix\n          status\n          expiresAt\n          models\n          createdAt\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": typeof types.TokensDocument,
    "\n  mutation CreateToken($input: CreateTokenInput!) {\n    createToken(input: $input) {\n      key\n      token {\n        id\n        name\n        keyPrefix\n        status\n        expiresAt\n        models\n        createdAt\n      }\n    }\n  }\n": typeof types.CreateTokenDocument,
    "\n  mutation RevokeToken($input: RevokeTokenInput!) {\n    revokeToken(input: $input) {\n      token {\n        id\n        status\n      }\n    }\n  }\n": typeof types.RevokeTokenDocument,
    "\n  query UsageLogs($first: Int, $after: String) {\n    usageLogs(first: $first, after: $after) {\n      edges {\n        cursor\n        node {\n          id\n          requestId\n          model\n          endpoint\n          stream\n          status\n          httpStatus\n          promptTokens\n          completionTokens\n          estimated\n          cost\n          durationMs\n          createdAt\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": typeof types.UsageLogsDocument,
};
const documents: Documents = {
    "\n  query Me {\n    me {\n      id\n      username\n      role\n    }\n  }\n": types.MeDocument,
    "\n  mutation Login($input: LoginInput!) {\n    login(input: $input) {\n      user {\n        id\n        username\n        role\n      }\n    }\n  }\n": types.LoginDocument,
    "\n  mutation Logout {\n    logout\n  }\n": types.LogoutDocument,
    "\n  query Channels($first: Int, $after: String) {\n    channels(first: $first, after: $after) {\n      edges {\n        cursor\n        node {\n          id\n          name\n          type\n          baseUrl\n          models\n          priority\n          weight\n          status\n          keyCount\n          keyHint\n          createdAt\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": types.ChannelsDocument,
    "\n  mutation CreateChannel($input: CreateChannelInput!) {\n    createChannel(input: $input) {\n      channel {\n        id\n        name\n      }\n    }\n  }\n": types.CreateChannelDocument,
    "\n  query Tokens($first: Int, $after: String) {\n    tokens(first: $first, after: $after) {\n      edges {\n        cursor\n        node {\n          id\n          name\n          keyPrefix\n          status\n          expiresAt\n          models\n          createdAt\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": types.TokensDocument,
    "\n  mutation CreateToken($input: CreateTokenInput!) {\n    createToken(input: $input) {\n      key\n      token {\n        id\n        name\n        keyPrefix\n        status\n        expiresAt\n        models\n        createdAt\n      }\n    }\n  }\n": types.CreateTokenDocument,
    "\n  mutation RevokeToken($input: RevokeTokenInput!) {\n    revokeToken(input: $input) {\n      token {\n        id\n        status\n      }\n    }\n  }\n": types.RevokeTokenDocument,
    "\n  query UsageLogs($first: Int, $after: String) {\n    usageLogs(first: $first, after: $after) {\n      edges {\n        cursor\n        node {\n          id\n          requestId\n          model\n          endpoint\n          stream\n          status\n          httpStatus\n          promptTokens\n          completionTokens\n          estimated\n          cost\n          durationMs\n          createdAt\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": types.UsageLogsDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Me {\n    me {\n      id\n      username\n      role\n    }\n  }\n"): (typeof documents)["\n  query Me {\n    me {\n      id\n      username\n      role\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation Login($input: LoginInput!) {\n    login(input: $input) {\n      user {\n        id\n        username\n        role\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation Login($input: LoginInput!) {\n    login(input: $input) {\n      user {\n        id\n        username\n        role\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation Logout {\n    logout\n  }\n"): (typeof documents)["\n  mutation Logout {\n    logout\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Channels($first: Int, $after: String) {\n    channels(first: $first, after: $after) {\n      edges {\n        cursor\n        node {\n          id\n          name\n          type\n          baseUrl\n          models\n          priority\n          weight\n          status\n          keyCount\n          keyHint\n          createdAt\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"): (typeof documents)["\n  query Channels($first: Int, $after: String) {\n    channels(first: $first, after: $after) {\n      edges {\n        cursor\n        node {\n          id\n          name\n          type\n          baseUrl\n          models\n          priority\n          weight\n          status\n          keyCount\n          keyHint\n          createdAt\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateChannel($input: CreateChannelInput!) {\n    createChannel(input: $input) {\n      channel {\n        id\n        name\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation CreateChannel($input: CreateChannelInput!) {\n    createChannel(input: $input) {\n      channel {\n        id\n        name\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Tokens($first: Int, $after: String) {\n    tokens(first: $first, after: $after) {\n      edges {\n        cursor\n        node {\n          id\n          name\n          keyPrefix\n          status\n          expiresAt\n          models\n          createdAt\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"): (typeof documents)["\n  query Tokens($first: Int, $after: String) {\n    tokens(first: $first, after: $after) {\n      edges {\n        cursor\n        node {\n          id\n          name\n          keyPrefix\n          status\n          expiresAt\n          models\n          createdAt\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateToken($input: CreateTokenInput!) {\n    createToken(input: $input) {\n      key\n      token {\n        id\n        name\n        keyPrefix\n        status\n        expiresAt\n        models\n        createdAt\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation CreateToken($input: CreateTokenInput!) {\n    createToken(input: $input) {\n      key\n      token {\n        id\n        name\n        keyPrefix\n        status\n        expiresAt\n        models\n        createdAt\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RevokeToken($input: RevokeTokenInput!) {\n    revokeToken(input: $input) {\n      token {\n        id\n        status\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation RevokeToken($input: RevokeTokenInput!) {\n    revokeToken(input: $input) {\n      token {\n        id\n        status\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query UsageLogs($first: Int, $after: String) {\n    usageLogs(first: $first, after: $after) {\n      edges {\n        cursor\n        node {\n          id\n          requestId\n          model\n          endpoint\n          stream\n          status\n          httpStatus\n          promptTokens\n          completionTokens\n          estimated\n          cost\n          durationMs\n          createdAt\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"): (typeof documents)["\n  query UsageLogs($first: Int, $after: String) {\n    usageLogs(first: $first, after: $after) {\n      edges {\n        cursor\n        node {\n          id\n          requestId\n          model\n          endpoint\n          stream\n          status\n          httpStatus\n          promptTokens\n          completionTokens\n          estimated\n          cost\n          durationMs\n          createdAt\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;