// The signed-in user (or null) and the login/logout mutations, shared by the app shell and the login page.
import { graphql } from '../../gql';

export const MeQuery = graphql(`
  query Me {
    me {
      id
      username
      role
    }
  }
`);

export const LoginMutation = graphql(`
  mutation Login($input: LoginInput!) {
    login(input: $input) {
      user {
        id
        username
        role
      }
    }
  }
`);

export const LogoutMutation = graphql(`
  mutation Logout {
    logout
  }
`);
