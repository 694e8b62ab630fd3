// Sends each usage event to the BullMQ usage queue. When Redis/BullMQ cannot take it, the event is appended to a local
// spool file (JSON lines) and replayed later, so no usage is lost. Duplicates are harmless: the jobId is the request id
// and the worker's ledger posting is unique per request.
import { access, appendFile, readFile, rename, unlink } from 'node:fs/promises';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { JOBS, QUEUES, usageEventSchema, usageJobId, type UsageEvent } from '@nebulagate/schema';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { describeError, logger } from '../observability/logger';
import type { Metrics } from '../observability/metrics';

const ADD_TIMEOUT_MS = 2_000;
const REPLAY_INTERVAL_MS = 5_000;

export const USAGE_JOB_OPTIONS = {
  attempts: 10,
  backoff: { type: 'exponential', delay: 1_000 },
  removeOnComplete: { count: 10_000, age: 24 * 3600 },
  removeOnFail: { count: 50_000, age: 7 * 24 * 3600 },
} as const;

function withTimeout<T>(promise: Promise<T>, timeoutMs: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('queue add timed out')), timeoutMs);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}

export class UsageEmitter {
  private readonly queue: Queue;
  private replayTimer: NodeJS.Timeout | null = null;
  private replaying: Promise<void> | null = null;
  private spoolWrites: Promise<void> = Promise.resolve();

  constructor(
    private readonly connection: Redis,
    private readonly spoolPath: string,
    private readonly metrics: Metrics,
  ) {
    this.queue = new Queue(QUEUES.usage, { connection });
    this.queue.on('error', () => undefined);
    mkdirSync(dirname(spoolPath), { recursive: true });
  }

  start(): void {
    this.replayTimer = setInterval(() => void this.replaySpool(), REPLAY_INTERVAL_MS);
    this.replayTimer.unref();
    this.connection.on('ready', this.onReady);
    void this.replaySpool();
  }

  async stop(): Promise<void> {
    if (this.replayTimer) clearInterval(this.replayTimer);
    this.replayTimer = null;
    this.connection.off('ready', this.onReady);
    await this.replaying;
    await this.spoolWrites;
    await this.queue.close().catch(() => undefined);
  }

  /** Never throws: an event that cannot be queued goes to the spool file. */
  async emit(event: UsageEvent): Promise<void> {
    const parsed = usageEventSchema.safeParse(event);
    if (!parsed.success) {
      logger.error('usage event failed validation; spooling it for inspection', { requestId: event.requestId });
      await this.spool(event);
      return;
    }
    if (this.connection.status !== 'ready') {
      await this.spool(parsed.data);
      return;
    }
    try {
      await this.add(parsed.data);
      this.metrics.usageEventsQueued += 1;
    } catch (error) {
      logger.warn('usage queue unreachable; spooling the event', { requestId: event.requestId, error: describeError(error) });
      await this.spool(parsed.data);
    }
  }

  private add(event: UsageEvent): Promise<unknown> {
    return withTimeout(this.queue.add(JOBS.billUsage, event, { ...USAGE_JOB_OPTIONS, jobId: usageJobId(event.requestId) }), ADD_TIMEOUT_MS);
  }

  private spool(event: UsageEvent): Promise<void> {
    this.metrics.usageEventsSpooled += 1;
    // Chained so lines never interleave and stop() can wait for the last write.
    this.spoolWrites = this.spoolWrites
      .then(() => appendFile(this.spoolPath, `${JSON.stringify(event)}\n`, { mode: 0o600 }))
      .catch((error: unknown) => logger.error('usage spool write failed', { requestId: event.requestId, error: describeError(error) }));
    return this.spoolWrites;
  }

  private readonly onReady = (): void => {
    void this.replaySpool();
  };

  /** Moves the spool aside, queues every line, and writes back whatever could not be queued. */
  replaySpool(): Promise<void> {
    if (!this.replaying) {
      this.replaying = this.replayOnce().finally(() => {
        this.replaying = null;
      });
    }
    return this.replaying;
  }

  private async replayOnce(): Promise<void> {
    if (this.connection.status !== 'ready') return;
    await this.spoolWrites;
    const claimed = `${this.spoolPath}.replaying`;
    // A claimed file left by a crash mid-replay is replayed first; otherwise claim the current spool.
    const leftOverClaim = await access(claimed).then(
      () => true,
      () => false,
    );
    if (!leftOverClaim) {
      try {
        await rename(this.spoolPath, claimed);
      } catch {
        return; // nothing spooled
      }
    }
    const lines = (await readFile(claimed, 'utf8')).split('\n').filter((line) => line.trim() !== '');
    const leftovers: string[] = [];
    for (const line of lines) {
      let event: UsageEvent;
      try {
        event = usageEventSchema.parse(JSON.parse(line));
      } catch {
        logger.error('dropping an unreadable usage spool line');
        continue;
      }
      if (leftovers.length > 0) {
        leftovers.push(line);
        continue;
      }
      try {
        await this.add(event);
        this.metrics.usageEventsReplayed += 1;
      } catch {
        leftovers.push(line);
      }
    }
    if (leftovers.length > 0) {
      this.spoolWrites = this.spoolWrites
        .then(() => appendFile(this.spoolPath, `${leftovers.join('\n')}\n`, { mode: 0o600 }))
        .catch((error: unknown) => logger.error('usage spool write failed', { error: describeError(error) }));
      await this.spoolWrites;
    }
    await unlink(claimed).catch(() => undefined);
    if (lines.length > 0) logger.info('usage spool replayed', { queued: lines.length - leftovers.length, left: leftovers.length });
  }
}
