// GraphQL documents of the gateway settings page (admin only).
import { graphql } from '../../gql';

export const GatewaySettingsFieldsFragment = graphql(`
  fragment GatewaySettingsFields on GatewaySettings {
    defaultMaxOutputTokens
    allowUnpricedModels
    maxRequestBodyBytes
    retry {
      maxAttempts
      budgetRatio
      retryOnStatus
    }
    breaker {
      failureRateThreshold
      minimumRequests
      openSeconds
      windowSeconds
    }
    sessionAffinity {
      enabled
      headers
      ttlSeconds
    }
    perIpLimits {
      requestsPerMinute
      tokensPerMinute
      concurrentRequests
    }
    groupLimits {
      group
      limits {
        requestsPerMinute
        tokensPerMinute
        concurrentRequests
      }
    }
    groupMultipliers {
      group
      multiplier
    }
  }
`);

export const GatewaySettingsQuery = graphql(`
  query GatewaySettings {
    gatewaySettings {
      ...GatewaySettingsFields
    }
  }
`);

export const UpdateGatewaySettingsMutation = graphql(`
  mutation UpdateGatewaySettings($input: UpdateGatewaySettingsInput!) {
    updateGatewaySettings(input: $input) {
      settings {
        ...GatewaySettingsFields
      }
    }
  }
`);
