// Reads the usage events the data plane appended to the usage stream (not yet forwarded by a worker), for tests and
// the benchmark's accounting. Entries that cannot be read are returned as problems, never skipped silently.
import { readUsageStreamEntry, redisKeys, type UsageEvent } from '@nebulagate/schema';
import type { Redis } from 'ioredis';

export async function readUsageStream(redis: Redis): Promise<{ events: UsageEvent[]; problems: string[] }> {
  const entries = (await redis.xrange(redisKeys.usageStream, '-', '+')) as Array<[string, string[]]>;
  const events: UsageEvent[] = [];
  const problems: string[] = [];
  for (const [id, fields] of entries) {
    const reading = readUsageStreamEntry(fields);
    if (reading.ok) events.push(reading.event);
    else problems.push(`${id}: ${reading.problem}`);
  }
  return { events, problems };
}

/** The newest entry's event (tests that settle one request at a time read back what their settle recorded). */
export async function newestUsageStreamEvent(redis: Redis): Promise<UsageEvent> {
  const entries = (await redis.xrevrange(redisKeys.usageStream, '+', '-', 'COUNT', 1)) as Array<[string, string[]]>;
  const newest = entries[0];
  if (!newest) throw new Error('the usage stream is empty');
  const reading = readUsageStreamEntry(newest[1]);
  if (!reading.ok) throw new Error(`unreadable usage stream entry ${newest[0]}: ${reading.problem}`);
  return reading.event;
}
