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
export { Channel, ChannelStatus } from './modules/channel/channel.entity';
export { LedgerEntry, LEDGER_KINDS } from './modules/ledger/ledger-entry.entity';
export type { LedgerKind } from './modules/ledger/ledger-entry.entity';
export { postLedgerEntry, isUniqueViolation, UnknownUserError, InsufficientBalanceError } from './modules/ledger/ledger.service';
export type { PostingRequest } from './modules/ledger/ledger.service';
export { ModelPrice } from './modules/price/price.entity';
export { Session } from './modules/session/session.entity';
export { ApiToken, TokenStatus } from './modules/token/token.entity';
export { UsageLog, UsageStatus } from './modules/usage/usage-log.entity';
export { User, Role, UserStatus } from './modules/user/user.entity';
export { hashPassword, verifyPassword } from './modules/user/password';
