// Session affinity: the same conversation keeps its channel and key (upstream prompt caches stay warm). The
// conversation is named by the first present header of settings.sessionAffinity.headers; Redis maps a hash of it
// (with the user id, so two users' session ids never meet) to `channelId key keyId`, with a TTL refreshed on use.
import { createHash } from 'node:crypto';
import { redisKeys, type SessionAffinitySettings } from '@nebulagate/schema';
import type { Redis } from 'ioredis';
import { describeError, logger } from '../observability/logger';

export interface AffinityTarget {
  channelId: string;
  keyId: string;
}

const MAX_SESSION_ID_LENGTH = 512;

/** The conversation's hash, or null when affinity is off or no session header is present. */
export function sessionHash(settings: SessionAffinitySettings, userId: string, header: (name: string) => string): string | null {
  if (!settings.enabled) return null;
  for (const name of settings.headers) {
    const value = header(name).trim();
    if (value) return createHash('sha256').update(`${userId}\n${value.slice(0, MAX_SESSION_ID_LENGTH)}`).digest('hex').slice(0, 32);
  }
  return null;
}

export function parseAffinityTarget(value: string | null): AffinityTarget | null {
  if (!value) return null;
  const [channelId, keyId] = value.split(' ');
  return channelId && keyId ? { channelId, keyId } : null;
}

export class SessionAffinity {
  constructor(private readonly redis: Redis) {}

  async lookup(hash: string): Promise<AffinityTarget | null> {
    try {
      return parseAffinityTarget(await this.redis.get(redisKeys.affinity(hash)));
    } catch (error) {
      logger.debug('session affinity lookup failed', { error: describeError(error) });
      return null;
    }
  }

  /** Not awaited by the relay: affinity is an optimisation and must not delay the answer. */
  remember(hash: string, target: AffinityTarget, ttlSeconds: number): void {
    this.redis.set(redisKeys.affinity(hash), `${target.channelId} ${target.keyId}`, 'EX', ttlSeconds).catch((error: unknown) => {
      logger.debug('session affinity write failed', { error: describeError(error) });
    });
  }
}
