// GraphQL documents of the usage feature: the paged log and the daily per-model totals behind the chart.
import { graphql } from '../../gql';

export const UsageLogsQuery = graphql(`
  query UsageLogs($first: Int, $after: String) {
    usageLogs(first: $first, after: $after) {
      edges {
        cursor
        node {
          id
          requestId
          model
          endpoint
          stream
          status
          httpStatus
          promptTokens
          completionTokens
          estimated
          cost
          durationMs
          createdAt
          tags
          attempts {
            channelId
            status
            errorCode
            durationMs
          }
          costBreakdown {
            input
            output
            cacheRead
            cacheWrite
            perCall
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

export const UsageSummaryQuery = graphql(`
  query UsageSummary($input: UsageSummaryInput!) {
    usageSummary(input: $input) {
      day
      model
      requests
      errors
      promptTokens
      completionTokens
      cost
    }
  }
`);
