// A Lua script run by its SHA (EVALSHA) with a fallback to EVAL when Redis lost its script cache (restart, FLUSH).
import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';

export class LuaScript {
  private readonly sha: string;

  constructor(private readonly source: string) {
    this.sha = createHash('sha1').update(source).digest('hex');
  }

  async run(redis: Redis, keys: readonly string[], args: ReadonlyArray<string | number>): Promise<unknown> {
    try {
      return await redis.evalsha(this.sha, keys.length, ...keys, ...args);
    } catch (error) {
      if (error instanceof Error && error.message.startsWith('NOSCRIPT')) return redis.eval(this.source, keys.length, ...keys, ...args);
      throw error;
    }
  }
}

/** A Lua array reply as numbers (Redis turns Lua numbers into integers); null when the shape is unexpected. */
export function numberArray(reply: unknown): number[] | null {
  if (!Array.isArray(reply)) return null;
  const numbers: number[] = [];
  for (const item of reply) {
    const value = typeof item === 'number' ? item : typeof item === 'string' ? Number(item) : Number.NaN;
    if (!Number.isFinite(value)) return null;
    numbers.push(value);
  }
  return numbers;
}
