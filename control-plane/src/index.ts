// Public surface of @nebulagate/control-plane: start-up API for the supervisor/tests, ORM pieces for the workers.
import 'reflect-metadata';

export { ConfigError, loadControlPlaneConfig, parseDatabaseUrl, readDatabaseUrl } from './config';
export type { ControlPlaneConfig, DatabaseKind, DatabaseLocation } from './config';
export { startControlPlane } from './app';
export type { ControlPlaneHandle } from './app';
export { openDatabase, migrateDatabase } from './db/database';
export type { Database } from './db/database';
export { ENTITIES } from './db/entities';
export { emitSchema, printGraphqlSchema } from './graphql/emit-schema';
export { AuditLog } from './modules/audit/audit-log.entity';
export { recordAudit } from './modules/audit/audit.service';
export { Channel, ChannelHealthStatus, ChannelStatus } from './modules/channel/channel.entity';
export type { ChannelBalanceValue, ChannelHealthCheckRecord, ChannelKeyState } from './modules/channel/channel.entity';
export { appendHealthCheck, HEALTH_HISTORY_SIZE, nextHealthState } from './modules/channel/channel-health';
export type { HealthState, HealthThresholds, HealthTransition } from './modules/channel/channel-health';
export { buildProbeRequest, classifyStatus, runProbe } from './modules/channel/channel-probe';
export type { ProbeOutcome, ProbeResult } from './modules/channel/channel-probe';
export { createGuardedFetcher } from './modules/channel/guarded-fetcher';
export { buildBalanceRequest, readBalance } from './modules/channel/channel-balance';
export type { GuardedFetcher } from './modules/channel/guarded-fetcher';
export { RedisPublisher } from './snapshot/redis-publisher';
export { LedgerEntry, LEDGER_KINDS } from './modules/ledger/ledger-entry.entity';
export type { LedgerKind } from './modules/ledger/ledger-entry.entity';
export { postLedgerEntry, isUniqueViolation, UnknownUserError, InsufficientBalanceError } from './modules/ledger/ledger.service';
export type { PostingRequest } from './modules/ledger/ledger.service';
export { ModelPrice } from './modules/price/price.entity';
export { Session } from './modules/session/session.entity';
export { ApiToken, TokenStatus } from './modules/token/token.entity';
export { addTokenQuotaUsed, lowBalanceCrossed, noteLowBalance } from './modules/token/token.service';
export { BalanceAlert } from './modules/token/balance-alert.entity';
export { UsageLog, UsageStatus } from './modules/usage/usage-log.entity';
export { User, Role, UserStatus } from './modules/user/user.entity';
export { hashPassword, verifyPassword } from './modules/user/password';
export { readEmailAddress, UserService } from './modules/user/user.service';
export { Plan, PlanPosting, PlanSubscription, PLAN_POSTING_KINDS } from './modules/plan/plan.entity';
export type { PlanPostingKind } from './modules/plan/plan.entity';
export { addPeriods, periodKeyOf, periodStartAfter, nextAllowance, resetCronOf, PLAN_PERIODS } from './modules/plan/plan-period';
export type { PlanPeriod } from './modules/plan/plan-period';
export { PlanRedis, planScopeMembers } from './modules/plan/plan-redis';
export {
  PlanService, endPlanSubscription, hasEnded, markExpiryNoticed, planAllowanceOf, planAllowances, postPlanUsage, resetPlanPeriod, endedSubscriptions, subscribersOf, subscriptionsToNotice,
} from './modules/plan/plan.service';
export type { PlanEnd, PlanResetOutcome } from './modules/plan/plan.service';
export { driftOf, reconcileBalances } from './modules/plan/money-reconcile';
export type { MoneyDrift } from './modules/plan/money-reconcile';
