// @Authorized() guard: no user -> UNAUTHENTICATED, wrong role -> FORBIDDEN.
import type { AuthChecker } from 'type-graphql';
import type { GraphqlContext } from './context';
import { appError } from './errors';

export const ADMIN_ROLES = ['admin', 'root'];

export const authChecker: AuthChecker<GraphqlContext> = ({ context }, roles) => {
  if (!context.user) throw appError('UNAUTHENTICATED', 'sign in first');
  if (roles.length > 0 && !roles.includes(context.user.role)) throw appError('FORBIDDEN', 'this needs an administrator');
  return true;
};
