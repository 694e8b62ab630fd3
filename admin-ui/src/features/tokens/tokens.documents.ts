// GraphQL documents of the tokens feature.
import { graphql } from '../../gql';

export const TokensQuery = graphql(`
  query Tokens($first: Int, $after: String) {
    tokens(first: $first, after: $after) {
      edges {
        cursor
        node {
          id
          name
          keyPrefix
          status
          expiresAt
          models
          createdAt
          quota
          quotaUsed
          unlimitedQuota
          limits {
            requestsPerMinute
            tokensPerMinute
            concurrentRequests
          }
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

export const CreateTokenMutation = graphql(`
  mutation CreateToken($input: CreateTokenInput!) {
    createToken(input: $input) {
      key
      token {
        id
        name
        keyPrefix
        status
        expiresAt
        models
        createdAt
      }
    }
  }
`);

export const RevokeTokenMutation = graphql(`
  mutation RevokeToken($input: RevokeTokenInput!) {
    revokeToken(input: $input) {
      token {
        id
        status
      }
    }
  }
`);

export const UpdateTokenQuotaMutation = graphql(`
  mutation UpdateTokenQuota($input: UpdateTokenQuotaInput!) {
    updateTokenQuota(input: $input) {
      token {
        id
        quota
        quotaUsed
        unlimitedQuota
      }
    }
  }
`);

export const SetTokenLimitsMutation = graphql(`
  mutation SetTokenLimits($input: SetTokenLimitsInput!) {
    setTokenLimits(input: $input) {
      token {
        id
        limits {
          requestsPerMinute
          tokensPerMinute
          concurrentRequests
        }
      }
    }
  }
`);
