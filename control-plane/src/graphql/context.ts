// What every resolver gets: its own entity manager fork, the caller, services, loaders and cookie helpers.
import type { EntityManager } from '@mikro-orm/core';
import DataLoader from 'dataloader';
import type { Actor } from '../modules/actor';
import type { ChannelService } from '../modules/channel/channel.service';
import type { SettingService } from '../modules/setting/setting.service';
import type { GovernanceService } from '../modules/governance/governance.service';
import type { LedgerService } from '../modules/ledger/ledger.service';
import type { PlanService } from '../modules/plan/plan.service';
import type { PriceService } from '../modules/price/price.service';
import type { SessionService } from '../modules/session/session.service';
import type { TokenService } from '../modules/token/token.service';
import type { UsageService } from '../modules/usage/usage.service';
import { User } from '../modules/user/user.entity';
import type { UserService } from '../modules/user/user.service';
import type { PaymentService } from '../modules/payment/payment.service';
import type { VoucherService } from '../modules/voucher/voucher.service';

export interface Services {
  users: UserService;
  sessions: SessionService;
  tokens: TokenService;
  channels: ChannelService;
  prices: PriceService;
  ledger: LedgerService;
  plans: PlanService;
  usage: UsageService;
  governance: GovernanceService;
  settings: SettingService;
  vouchers: VoucherService;
  payments: PaymentService;
}

export interface Loaders {
  userById: DataLoader<string, User | null>;
}

export interface GraphqlContext extends Actor {
  em: EntityManager;
  services: Services;
  loaders: Loaders;
  /** The session token the request came with (cookie or bearer), for logout. */
  sessionToken: string | null;
  setSessionCookie(token: string, expiresAt: Date): void;
  clearSessionCookie(): void;
}

export function createLoaders(em: EntityManager): Loaders {
  return {
    // One query per request for every user a page of rows refers to (no N+1).
    userById: new DataLoader<string, User | null>(async (ids) => {
      const users = await em.find(User, { id: { $in: [...ids] } });
      const byId = new Map(users.map((user) => [user.id, user]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
  };
}
