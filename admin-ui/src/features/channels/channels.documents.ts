// GraphQL documents of the channels feature. Keys are write-only: the list shows only count and a masked hint.
import { graphql } from '../../gql';

export const ChannelsQuery = graphql(`
  query Channels($first: Int, $after: String) {
    channels(first: $first, after: $after) {
      edges {
        cursor
        node {
          id
          name
          type
          baseUrl
          models
          priority
          weight
          status
          keyCount
          keyHint
          createdAt
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

export const CreateChannelMutation = graphql(`
  mutation CreateChannel($input: CreateChannelInput!) {
    createChannel(input: $input) {
      channel {
        id
        name
      }
    }
  }
`);
