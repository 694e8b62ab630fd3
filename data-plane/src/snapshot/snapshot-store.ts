// Keeps the newest routing/pricing snapshot in memory. Loads it from Redis at start, on every publish message and on a
// 2 s version poll (in case a message was lost); swaps atomically; keeps the last good copy on disk to boot without Redis.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { openSecret, redisChannels, redisKeys, snapshotSchema, type Snapshot } from '@nebulagate/schema';
import type { Redis } from 'ioredis';
import { describeError, logger } from '../observability/logger';

const POLL_INTERVAL_MS = 2_000;

export class SnapshotStore {
  private current: Snapshot | null = null;
  /** True while the snapshot in memory came from disk and Redis has not confirmed anything yet. */
  private fromDisk = false;
  private loading: Promise<void> | null = null;
  /** A publish arrived while a load was running: load once more afterwards so the newest version wins. */
  private reloadRequested = false;
  private pollTimer: NodeJS.Timeout | null = null;
  /** Channel keys are decrypted once per sealed value, kept only in memory. */
  private openedKeys = new Map<string, string>();

  constructor(
    private readonly redis: Redis,
    private readonly subscriber: Redis,
    private readonly cachePath: string,
    private readonly cryptoSecret: string,
  ) {}

  get snapshot(): Snapshot | null {
    return this.current;
  }

  get version(): number {
    return this.current?.version ?? 0;
  }

  /** Boot: Redis when reachable, otherwise the disk copy. Then follow publishes and poll. */
  async start(redisReachable: boolean): Promise<void> {
    if (redisReachable) await this.refresh();
    if (!this.current) this.loadFromDisk();
    this.subscriber.on('message', this.onMessage);
    this.pollTimer = setInterval(() => void this.poll(), POLL_INTERVAL_MS);
    this.pollTimer.unref();
  }

  stop(): void {
    if (this.pollTimer) clearInterval(this.pollTimer);
    this.pollTimer = null;
    this.subscriber.off('message', this.onMessage);
  }

  /** Decrypts one sealed channel key (cached: AES on every request would be wasted work). */
  openKey(sealed: string): string {
    let key = this.openedKeys.get(sealed);
    if (key === undefined) {
      key = openSecret(sealed, this.cryptoSecret);
      this.openedKeys.set(sealed, key);
    }
    return key;
  }

  private readonly onMessage = (channel: string, message: string): void => {
    if (channel !== redisChannels.snapshotPublished) return;
    const version = Number(message);
    if (!Number.isFinite(version) || version > this.version || this.fromDisk) void this.refresh();
  };

  private async poll(): Promise<void> {
    try {
      const raw = await this.redis.get(redisKeys.snapshotVersion);
      const version = raw === null ? 0 : Number(raw);
      if (version > this.version || (this.fromDisk && version > 0)) await this.refresh();
    } catch {
      // Redis unreachable: keep serving the snapshot in memory.
    }
  }

  /** Loads the current snapshot from Redis; concurrent calls share one load. */
  refresh(): Promise<void> {
    if (this.loading) {
      this.reloadRequested = true;
      return this.loading;
    }
    this.loading = (async () => {
      do {
        this.reloadRequested = false;
        await this.loadFromRedis();
      } while (this.reloadRequested);
    })().finally(() => {
      this.loading = null;
    });
    return this.loading;
  }

  private async loadFromRedis(): Promise<void> {
    let raw: string | null;
    try {
      raw = await this.redis.get(redisKeys.snapshotCurrent);
    } catch (error) {
      logger.warn('snapshot read failed', { error: describeError(error) });
      return;
    }
    if (raw === null) return;
    const snapshot = this.parse(raw, 'redis');
    if (!snapshot) return;
    // A fresh Redis may restart versions at 1: trust it over a disk copy it has never confirmed.
    if (this.current && !this.fromDisk && snapshot.version <= this.current.version) return;
    this.swap(snapshot, false);
    this.writeDiskCopy(raw);
  }

  private loadFromDisk(): void {
    let raw: string;
    try {
      raw = readFileSync(this.cachePath, 'utf8');
    } catch {
      return;
    }
    const snapshot = this.parse(raw, 'disk');
    if (snapshot) this.swap(snapshot, true);
  }

  private parse(raw: string, source: string): Snapshot | null {
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch {
      logger.error('snapshot is not JSON; keeping the previous one', { source });
      return null;
    }
    const result = snapshotSchema.safeParse(json);
    if (!result.success) {
      logger.error('snapshot failed validation; keeping the previous one', { source, issues: result.error.issues.length });
      return null;
    }
    return result.data;
  }

  private swap(snapshot: Snapshot, fromDisk: boolean): void {
    const previous = this.current;
    this.current = snapshot;
    this.fromDisk = fromDisk;
    // Forget keys of channels that are gone so revoked upstream keys leave memory.
    const sealedInUse = new Set(Object.values(snapshot.channels).flatMap((channel) => channel.sealedKeys));
    for (const sealed of this.openedKeys.keys()) if (!sealedInUse.has(sealed)) this.openedKeys.delete(sealed);
    logger.info('snapshot loaded', { version: snapshot.version, previousVersion: previous?.version ?? null, source: fromDisk ? 'disk' : 'redis' });
  }

  private writeDiskCopy(raw: string): void {
    try {
      mkdirSync(dirname(this.cachePath), { recursive: true });
      const temporary = `${this.cachePath}.${process.pid}.tmp`;
      writeFileSync(temporary, raw, { mode: 0o600 });
      renameSync(temporary, this.cachePath);
    } catch (error) {
      logger.warn('could not write the snapshot disk copy', { error: describeError(error) });
    }
  }
}
