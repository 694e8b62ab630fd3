// Who is calling a service: the signed-in user (or nobody) and the client address, for checks and audit rows.
import type { User } from './user/user.entity';

export interface Actor {
  user: User | null;
  ip: string | null;
}
