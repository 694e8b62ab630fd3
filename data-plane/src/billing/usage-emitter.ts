// Writes the usage events that do not come out of the settle script (governance blocks) to the usage stream, and keeps
// a local spool file (JSON lines) of what Redis could not take: plain events, settles that failed (run again later:
// the settle script is safe to repeat), and the charges of requests served offline. The spool is replayed when Redis
// answers again, so no usage is lost. Duplicates are harmless: the forwarder's job id is the request id and the
// worker's ledger posting is unique per request.
//
// The common case never comes here: the settle script appends its event in the same atomic step that moves the money
// (wallet.service.ts), one round trip for both, and the workers forward the stream to BullMQ. The data plane therefore
// carries no BullMQ client at all.
import { access, appendFile, readFile, rename, unlink } from 'node:fs/promises';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { redisKeys, USAGE_STREAM_FIELDS, usageEventSchema, type UsageEvent } from '@nebulagate/schema';
import { z } from 'zod';
import type { Redis } from 'ioredis';
import { describeError, logger } from '../observability/logger';
import type { Metrics } from '../observability/metrics';
import type { OfflineCharge, WalletService } from './wallet.service';

const REPLAY_INTERVAL_MS = 5_000;
/** Spool lines appended per pipelined round trip when replaying. */
const REPLAY_BATCH_SIZE = 256;

/** A spool line of a request served while Redis was down: its event and the charge still to book. */
const chargedLineSchema = z.object({
  charge: z.object({ requestId: z.string(), userId: z.string(), cost: z.number().int().min(0), model: z.string(), group: z.string() }),
  event: usageEventSchema,
});

/** A spool line of a settle that failed (and may or may not have run): it is run again with its event. */
const settleLineSchema = z.object({
  settle: z.object({ requestId: z.string(), userId: z.string(), tokenId: z.string(), cost: z.number().int().min(0) }),
  event: usageEventSchema,
});

export type PendingSettle = z.infer<typeof settleLineSchema>['settle'];

export class UsageEmitter {
  private replayTimer: NodeJS.Timeout | null = null;
  private replaying: Promise<void> | null = null;
  private spoolWrites: Promise<void> = Promise.resolve();

  constructor(
    private readonly redis: Redis,
    private readonly spoolPath: string,
    private readonly metrics: Metrics,
    /** Books the charges of requests served offline when their spool lines are replayed. */
    private readonly wallet: Pick<WalletService, 'chargeLate' | 'settle'>,
  ) {
    mkdirSync(dirname(spoolPath), { recursive: true });
  }

  start(): void {
    this.replayTimer = setInterval(() => void this.replaySpool(), REPLAY_INTERVAL_MS);
    this.replayTimer.unref();
    this.redis.on('ready', this.onReady);
    void this.replaySpool();
  }

  async stop(): Promise<void> {
    if (this.replayTimer) clearInterval(this.replayTimer);
    this.replayTimer = null;
    this.redis.off('ready', this.onReady);
    await this.replaying;
    await this.spoolWrites;
  }

  /** Counts an event the settle script appended itself (the metrics and the bench's accounting see every event). */
  countRecorded(): void {
    this.metrics.usageEventsQueued += 1;
  }

  /** Never throws: an event that cannot be appended goes to the spool file. */
  async emit(event: UsageEvent): Promise<void> {
    if (this.redis.status !== 'ready') {
      await this.spool(event);
      return;
    }
    try {
      await this.redis.xadd(redisKeys.usageStream, '*', USAGE_STREAM_FIELDS.event, JSON.stringify(event));
      this.metrics.usageEventsQueued += 1;
    } catch (error) {
      logger.warn('usage stream unreachable; spooling the event', { requestId: event.requestId, error: describeError(error) });
      await this.spool(event);
    }
  }

  /** Spools the event of a request served while Redis was unreachable together with the charge it still owes. */
  spoolCharged(event: UsageEvent, charge: OfflineCharge): Promise<void> {
    return this.appendToSpool(event.requestId, JSON.stringify({ charge, event }));
  }

  /** Spools a settle that failed, to be run again (the settle script is safe to repeat) with its event. */
  spoolSettle(event: UsageEvent, settle: PendingSettle): Promise<void> {
    return this.appendToSpool(event.requestId, JSON.stringify({ settle, event }));
  }

  private spool(event: UsageEvent): Promise<void> {
    return this.appendToSpool(event.requestId, JSON.stringify(event));
  }

  private appendToSpool(requestId: string, line: string): Promise<void> {
    this.metrics.usageEventsSpooled += 1;
    // Chained so lines never interleave and stop() can wait for the last write.
    this.spoolWrites = this.spoolWrites
      .then(() => appendFile(this.spoolPath, `${line}\n`, { mode: 0o600 }))
      .catch((error: unknown) => logger.error('usage spool write failed', { requestId, error: describeError(error) }));
    return this.spoolWrites;
  }

  private readonly onReady = (): void => {
    void this.replaySpool();
  };

  /** Moves the spool aside, appends every line to the stream, and writes back whatever could not be appended. */
  replaySpool(): Promise<void> {
    if (!this.replaying) {
      this.replaying = this.replayOnce().finally(() => {
        this.replaying = null;
      });
    }
    return this.replaying;
  }

  private async replayOnce(): Promise<void> {
    if (this.redis.status !== 'ready') return;
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
    // Plain events are appended in pipelined batches; a charged or settle line runs its own script with its event.
    const plain: string[] = [];
    const scripted: Array<{ line: string; run: () => Promise<unknown> }> = [];
    for (const line of lines) {
      try {
        const json: unknown = JSON.parse(line);
        const asCharged = chargedLineSchema.safeParse(json);
        const asSettle = asCharged.success ? null : settleLineSchema.safeParse(json);
        if (asCharged.success) {
          const { charge, event } = asCharged.data;
          scripted.push({ line, run: () => this.wallet.chargeLate(charge, JSON.stringify(event)) });
        } else if (asSettle?.success) {
          const { settle, event } = asSettle.data;
          scripted.push({ line, run: () => this.wallet.settle(settle.requestId, settle.userId, settle.tokenId, settle.cost, JSON.stringify(event)) });
        } else {
          plain.push(JSON.stringify(usageEventSchema.parse(json)));
        }
      } catch {
        logger.error('dropping an unreadable usage spool line');
      }
    }
    const leftovers: string[] = [];
    for (const { line, run } of scripted) {
      if (leftovers.length > 0) {
        leftovers.push(line);
        continue;
      }
      try {
        await run();
        this.metrics.usageEventsReplayed += 1;
      } catch {
        leftovers.push(line);
      }
    }
    let appended = 0;
    for (let start = 0; start < plain.length && leftovers.length === 0; start += REPLAY_BATCH_SIZE) {
      const batch = plain.slice(start, start + REPLAY_BATCH_SIZE);
      const pipeline = this.redis.pipeline();
      for (const line of batch) pipeline.xadd(redisKeys.usageStream, '*', USAGE_STREAM_FIELDS.event, line);
      const replies = await pipeline.exec().catch(() => null);
      // A batch that failed (even in part) stays for the next replay: re-appending the part that made it is harmless.
      if (!replies || replies.some(([error]) => error)) break;
      appended += batch.length;
    }
    this.metrics.usageEventsReplayed += appended;
    leftovers.push(...plain.slice(appended));
    if (leftovers.length > 0) {
      this.spoolWrites = this.spoolWrites
        .then(() => appendFile(this.spoolPath, `${leftovers.join('\n')}\n`, { mode: 0o600 }))
        .catch((error: unknown) => logger.error('usage spool write failed', { error: describeError(error) }));
      await this.spoolWrites;
    }
    await unlink(claimed).catch(() => undefined);
    if (lines.length > 0) logger.info('usage spool replayed', { replayed: lines.length - leftovers.length, left: leftovers.length });
  }
}
