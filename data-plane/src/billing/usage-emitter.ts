// Sends each usage event to the BullMQ usage queue. When Redis/BullMQ cannot take it, the event is appended to a local
// spool file (JSON lines) and replayed later, so no usage is lost. Duplicates are harmless: the jobId is the request id
// and the worker's ledger posting is unique per request.
//
// Events are queued in batches: every event emitted in one event-loop turn leaves in one BullMQ addBulk (one pipelined
// socket write instead of one round trip per event). A batch is sent at setImmediate, so a lone request waits no
// longer than before; the buffer is bounded, and an event that does not fit, or whose batch fails, is spooled.
import { access, appendFile, readFile, rename, unlink } from 'node:fs/promises';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { JOBS, QUEUES, usageEventSchema, usageJobId, type UsageEvent } from '@nebulagate/schema';
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { describeError, logger } from '../observability/logger';
import type { Metrics } from '../observability/metrics';

const ADD_TIMEOUT_MS = 2_000;
const REPLAY_INTERVAL_MS = 5_000;
/** Events per addBulk call: keeps one pipeline (and one Redis reply) reasonably small. */
const MAX_BATCH_SIZE = 256;
/** Events waiting for their batch; beyond this (Redis far slower than traffic) events go straight to the spool. */
const MAX_PENDING_EVENTS = 10_000;

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

interface PendingUsageEvent {
  event: UsageEvent;
  /** Resolves the emit() call once the event is queued or spooled. */
  done: () => void;
}

export class UsageEmitter {
  /** Created on first use: BullMQ is loaded only when an event must be queued (not at all with billing off). */
  private queue: Promise<Queue> | null = null;
  private replayTimer: NodeJS.Timeout | null = null;
  private replaying: Promise<void> | null = null;
  private spoolWrites: Promise<void> = Promise.resolve();
  private pending: PendingUsageEvent[] = [];
  private flushScheduled = false;
  private readonly batchesInFlight = new Set<Promise<void>>();

  constructor(
    private readonly connection: Redis,
    private readonly spoolPath: string,
    private readonly metrics: Metrics,
  ) {
    mkdirSync(dirname(spoolPath), { recursive: true });
  }

  private usageQueue(): Promise<Queue> {
    this.queue ??= import('bullmq').then(({ Queue: QueueClass }) => {
      const queue = new QueueClass(QUEUES.usage, { connection: this.connection });
      queue.on('error', () => undefined);
      return queue;
    });
    return this.queue;
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
    // Events still waiting for their batch are sent (or spooled) now, not dropped.
    this.flush();
    await Promise.all(this.batchesInFlight);
    await this.replaying;
    await this.spoolWrites;
    if (this.queue) await (await this.queue).close().catch(() => undefined);
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
    if (this.pending.length >= MAX_PENDING_EVENTS) {
      await this.spool(parsed.data);
      return;
    }
    const queued = new Promise<void>((resolve) => this.pending.push({ event: parsed.data, done: resolve }));
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(this.flush);
    }
    await queued;
  }

  /** Sends everything pending, in batches of at most MAX_BATCH_SIZE. */
  private readonly flush = (): void => {
    this.flushScheduled = false;
    while (this.pending.length > 0) {
      const sending = this.sendBatch(this.pending.splice(0, MAX_BATCH_SIZE));
      this.batchesInFlight.add(sending);
      void sending.finally(() => this.batchesInFlight.delete(sending));
    }
  };

  /** Never rejects: a batch that cannot be queued is spooled whole (events already queued dedupe on their jobId). */
  private async sendBatch(batch: PendingUsageEvent[]): Promise<void> {
    try {
      await this.addAll(batch.map((item) => item.event));
      this.metrics.usageEventsQueued += batch.length;
    } catch (error) {
      logger.warn('usage queue unreachable; spooling the events', { events: batch.length, error: describeError(error) });
      await Promise.all(batch.map((item) => this.spool(item.event)));
    } finally {
      for (const item of batch) item.done();
    }
  }

  private jobFor(event: UsageEvent): { name: string; data: UsageEvent; opts: typeof USAGE_JOB_OPTIONS & { jobId: string } } {
    return { name: JOBS.billUsage, data: event, opts: { ...USAGE_JOB_OPTIONS, jobId: usageJobId(event.requestId) } };
  }

  private addAll(events: UsageEvent[]): Promise<unknown> {
    return withTimeout(
      this.usageQueue().then((queue) => queue.addBulk(events.map((event) => this.jobFor(event)))),
      ADD_TIMEOUT_MS,
    );
  }

  private add(event: UsageEvent): Promise<unknown> {
    return this.addAll([event]);
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
