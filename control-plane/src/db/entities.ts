// Every entity, listed explicitly (no folder globbing, so the swc-built dist/ discovers the same set).
import { AuditLog } from '../modules/audit/audit-log.entity';
import { Channel } from '../modules/channel/channel.entity';
import { Setting } from '../modules/setting/setting.entity';
import { GovernanceRuleEntity } from '../modules/governance/governance-rule.entity';
import { LedgerEntry } from '../modules/ledger/ledger-entry.entity';
import { PaymentEvent } from '../modules/payment/payment-event.entity';
import { PaymentOrder } from '../modules/payment/payment-order.entity';
import { ModelPrice } from '../modules/price/price.entity';
import { Session } from '../modules/session/session.entity';
import { ApiToken } from '../modules/token/token.entity';
import { UsageLog } from '../modules/usage/usage-log.entity';
import { User } from '../modules/user/user.entity';
import { Voucher } from '../modules/voucher/voucher.entity';
import { VoucherRedemption } from '../modules/voucher/voucher-redemption.entity';

import { Plan, PlanPosting, PlanSubscription } from '../modules/plan/plan.entity';
import { BalanceAlert } from '../modules/token/balance-alert.entity';

export const ENTITIES = [User, Session, ApiToken, Channel, ModelPrice, UsageLog, LedgerEntry, AuditLog, Voucher, VoucherRedemption, PaymentOrder, PaymentEvent, GovernanceRuleEntity, Plan, PlanSubscription, PlanPosting, Setting, BalanceAlert];
