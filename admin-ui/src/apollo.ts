// One Apollo client for the app: same-origin /graphql with the httpOnly session cookie.
import { ApolloClient, HttpLink, InMemoryCache } from '@apollo/client';
import { relayStylePagination } from '@apollo/client/utilities';

export function createApolloClient(): ApolloClient {
  return new ApolloClient({
    link: new HttpLink({ uri: '/graphql', credentials: 'include' }),
    cache: new InMemoryCache({
      typePolicies: {
        // Neither has an id: prices are keyed by model, and there is one settings object.
        ModelPrice: { keyFields: ['model'] },
        GatewaySettings: { keyFields: [] },
        // A key id is a hash of the key: the same key on two channels has one id but its own status on each channel.
        ChannelKey: { keyFields: false },
        Query: {
          fields: {
            // Cursor lists: "load more" appends pages; a refetch without `after` starts the list over.
            channels: relayStylePagination(false),
            tokens: relayStylePagination(['userId']),
            usageLogs: relayStylePagination(['userId']),
            users: relayStylePagination(false),
            vouchers: relayStylePagination(['batchId']),
            ledgerEntries: relayStylePagination(['userId']),
          },
        },
      },
    }),
  });
}
