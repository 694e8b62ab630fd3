// GraphQL documents of the channels feature. Keys are write-only: the UI reads only their ids, masked hints and status.
import { graphql } from '../../gql';

export const ChannelFieldsFragment = graphql(`
  fragment ChannelFields on Channel {
    id
    name
    type
    baseUrl
    models
    modelMapping
    parameterOverrides
    headerOverrides
    statusCodeMapping
    groups
    tags
    priority
    weight
    status
    keySelection
    keyCount
    keyHint
    keys {
      id
      hint
      status
    }
    limits {
      requestsPerMinute
      tokensPerMinute
      concurrentRequests
    }
    health {
      status
      autoDisabled
      lastCheckedAt
      latencyMs
      consecutiveFailures
      history {
        at
        outcome
        latencyMs
        httpStatus
      }
      balance {
        amount
        currency
        checkedAt
      }
    }
    createdAt
  }
`);

export const ChannelsQuery = graphql(`
  query Channels($first: Int, $after: String) {
    channels(first: $first, after: $after) {
      edges {
        cursor
        node {
          ...ChannelFields
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
        ...ChannelFields
      }
    }
  }
`);

export const UpdateChannelMutation = graphql(`
  mutation UpdateChannel($input: UpdateChannelInput!) {
    updateChannel(input: $input) {
      channel {
        ...ChannelFields
      }
    }
  }
`);

export const DeleteChannelMutation = graphql(`
  mutation DeleteChannel($input: DeleteChannelInput!) {
    deleteChannel(input: $input) {
      id
    }
  }
`);

export const SetChannelKeyStatusMutation = graphql(`
  mutation SetChannelKeyStatus($input: SetChannelKeyStatusInput!) {
    setChannelKeyStatus(input: $input) {
      channel {
        id
        keyHint
        keys {
          id
          hint
          status
        }
      }
    }
  }
`);

export const SetChannelsStatusMutation = graphql(`
  mutation SetChannelsStatus($input: SetChannelsStatusInput!) {
    setChannelsStatus(input: $input) {
      count
      channels {
        id
        status
      }
    }
  }
`);

export const TestChannelMutation = graphql(`
  mutation TestChannel($input: TestChannelInput!) {
    testChannel(input: $input) {
      ok
      status
      latencyMs
      message
      model
    }
  }
`);
