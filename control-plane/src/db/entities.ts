// Every entity, listed explicitly (no folder globbing, so the swc-built dist/ discovers the same set).
import { AuditLog } from '../modules/audit/audit-log.entity';
import { Channel } from '../modules/channel/channel.entity';
import { LedgerEntry } from '../modules/ledger/ledger-entry.entity';
import { ModelPrice } from '../modules/price/price.entity';
import { Session } from '../modules/session/session.entity';
import { ApiToken } from '../modules/token/token.entity';
import { UsageLog } from '../modules/usage/usage-log.entity';
import { User } from '../modules/user/user.entity';

export const ENTITIES = [User, Session, ApiToken, Channel, ModelPrice, UsageLog, LedgerEntry, AuditLog];
