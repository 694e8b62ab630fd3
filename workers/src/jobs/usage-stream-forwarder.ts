// Moves usage events from the Redis usage stream (where the data plane's settle script appends them, atomically with
// the money) to the BullMQ usage queue, where billUsage posts them. A consumer group makes it safe to run in every
// worker process: an entry is acknowledged and deleted only after its job was added, an entry a crashed worker had
// read is claimed by another after a minute, and a job added twice dedupes on its job id (the ledger posting is
// unique per request anyway). An entry that cannot be read still becomes a job, so it fails visibly in the job list
// instead of vanishing.
import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import { JOBS, QUEUES, readUsageStreamEntry, redisKeys, USAGE_STREAM_GROUP, usageJobId } from '@nebulagate/schema';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { bullConnection, USAGE_JOB_OPTIONS } from '../queues';

/** Entries per read: one addBulk and one acknowledgement round trip each. */
const BATCH_SIZE = 256;
/** How long a read waits for new entries before it checks for stale ones and for close(). */
const BLOCK_MS = 1_000;
export interface UsageStreamForwarderTiming {
  /** An entry read but not acknowledged for this long belongs to a worker that died: another one takes it. */
  claimIdleMs: number;
  /** How often this worker looks for such entries. */
  claimEveryMs: number;
}

const DEFAULT_TIMING: UsageStreamForwarderTiming = { claimIdleMs: 60_000, claimEveryMs: 15_000 };
/** Pause after a failure (Redis or BullMQ unreachable) before the unacknowledged entries are tried again. */
const RETRY_PAUSE_MS = 1_000;

type StreamEntry = [id: string, fields: string[]];
/** An entry deleted after it was read comes back with null fields when its id is read again from the pending list. */
type MaybeDeletedEntry = [id: string, fields: string[] | null] | null;
type ReadReply = Array<[stream: string, entries: MaybeDeletedEntry[]]> | null;

export interface UsageStreamForwarderHandle {
  /** Stops reading; entries read but not yet forwarded stay pending and are claimed by another worker (or the next start). */
  close(): Promise<void>;
}

interface UsageJob {
  name: string;
  data: unknown;
  opts: typeof USAGE_JOB_OPTIONS & { jobId: string };
}

/** The job for one entry; job ids may not contain ':' (stream ids never do). */
export function usageJobForEntry(id: string, fields: string[]): UsageJob {
  const reading = readUsageStreamEntry(fields);
  if (reading.ok) return { name: JOBS.billUsage, data: reading.event, opts: { ...USAGE_JOB_OPTIONS, jobId: usageJobId(reading.event.requestId) } };
  const jobId = reading.requestId && !reading.requestId.includes(':') ? usageJobId(reading.requestId) : `usage-unreadable-${id}`;
  return { name: JOBS.billUsage, data: reading.data, opts: { ...USAGE_JOB_OPTIONS, jobId } };
}

/** Creates the consumer group (and the stream) if missing; a group that exists already is fine. */
export async function ensureUsageStreamGroup(redis: Redis): Promise<void> {
  try {
    await redis.xgroup('CREATE', redisKeys.usageStream, USAGE_STREAM_GROUP, '0', 'MKSTREAM');
  } catch (error) {
    if (!(error instanceof Error && error.message.includes('BUSYGROUP'))) throw error;
  }
}

function pause(milliseconds: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, milliseconds).unref());
}

export async function startUsageStreamForwarder(
  redisUrl: string,
  log: (message: string) => void,
  timing: UsageStreamForwarderTiming = DEFAULT_TIMING,
): Promise<UsageStreamForwarderHandle> {
  // Blocking reads hold their connection: it is this loop's alone.
  const reader = new Redis(redisUrl, { maxRetriesPerRequest: null, connectionName: 'ng-workers-usage-forwarder' });
  reader.on('error', () => undefined);
  const queue = new Queue(QUEUES.usage, { connection: bullConnection(redisUrl) });
  const consumer = `${hostname()}-${process.pid}-${randomUUID().slice(0, 8)}`;
  await ensureUsageStreamGroup(reader);

  let stopping = false;
  let lastClaimAt = 0;
  // After a start or a failure, this consumer's own unacknowledged entries are re-read first ('0'), then new ones ('>').
  let readOwnPending = true;

  const forward = async (entries: MaybeDeletedEntry[]): Promise<void> => {
    const live = entries.filter((entry): entry is StreamEntry => Array.isArray(entry) && Array.isArray(entry[1]));
    if (live.length > 0) await queue.addBulk(live.map(([id, fields]) => usageJobForEntry(id, fields)));
    const ids = entries.flatMap((entry) => (Array.isArray(entry) ? [entry[0]] : []));
    if (ids.length > 0) await reader.multi().xack(redisKeys.usageStream, USAGE_STREAM_GROUP, ...ids).xdel(redisKeys.usageStream, ...ids).exec();
  };

  /** Takes over entries that a dead consumer read and never acknowledged. */
  const claimStale = async (): Promise<void> => {
    let cursor = '0-0';
    do {
      const reply = (await reader.xautoclaim(redisKeys.usageStream, USAGE_STREAM_GROUP, consumer, timing.claimIdleMs, cursor, 'COUNT', BATCH_SIZE)) as [string, MaybeDeletedEntry[], ...unknown[]];
      cursor = reply[0];
      await forward(reply[1]);
    } while (cursor !== '0-0' && !stopping);
  };

  const loop = async (): Promise<void> => {
    while (!stopping) {
      try {
        if (Date.now() - lastClaimAt >= timing.claimEveryMs) {
          lastClaimAt = Date.now();
          await claimStale();
        }
        const from = readOwnPending ? '0' : '>';
        const reply = (await reader.xreadgroup(
          'GROUP', USAGE_STREAM_GROUP, consumer, 'COUNT', BATCH_SIZE, 'BLOCK', BLOCK_MS, 'STREAMS', redisKeys.usageStream, from,
        )) as ReadReply;
        const entries = reply?.[0]?.[1] ?? [];
        if (readOwnPending && entries.length === 0) readOwnPending = false;
        await forward(entries);
      } catch (error) {
        if (stopping) break;
        // A stream deleted by hand (FLUSHALL, a restore) loses its group: recreate it and go on.
        if (error instanceof Error && error.message.includes('NOGROUP')) await ensureUsageStreamGroup(reader).catch(() => undefined);
        log(`usage stream forwarder: ${error instanceof Error ? error.message : String(error)}; retrying`);
        readOwnPending = true;
        await pause(RETRY_PAUSE_MS);
      }
    }
  };
  const running = loop();

  return {
    async close() {
      stopping = true;
      // A batch being forwarded gets to finish (a blocked read ends within BLOCK_MS); after that the connection is cut,
      // and whatever was read and not forwarded stays pending for the next consumer.
      await Promise.race([running, pause(BLOCK_MS + 500)]);
      reader.disconnect();
      await running;
      await queue.close();
    },
  };
}
