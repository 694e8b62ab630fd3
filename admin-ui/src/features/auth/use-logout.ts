// Ends the session on the server, then forgets every cached record of this user.
import { useApolloClient, useMutation } from '@apollo/client/react';
import { useCallback } from 'react';
import { LogoutMutation, MeQuery } from './session';

export function useLogout(): { logout: () => Promise<void>; loggingOut: boolean } {
  const client = useApolloClient();
  const [logoutMutation, { loading }] = useMutation(LogoutMutation);
  const logout = useCallback(async () => {
    try {
      await logoutMutation();
    } catch {
      // A failed logout leaves the session alive; the refetched `me` below then keeps the console open.
    }
    // clearStore, not resetStore: a reset would refetch every page still mounted, and those requests are aborted
    // as the login page replaces them. Only `me` is asked again; it comes back null and shows the login page.
    await client.clearStore();
    await client.refetchQueries({ include: [MeQuery] });
  }, [client, logoutMutation]);
  return { logout, loggingOut: loading };
}
