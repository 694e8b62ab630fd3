// Usage events survive a Redis outage: they are appended to the spool file and put on the usage stream once Redis is back.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type UsageEvent, usageEventSchema } from '@nebulagate/schema';
import { freePort, readUsageStream } from '@nebulagate/testing';
import { Redis } from 'ioredis';
import { UsageEmitter } from '../src/billing/usage-emitter';
import { WalletService } from '../src/billing/wallet.service';
import { Metrics } from '../src/observability/metrics';
import { eventually } from './harness';

function event(requestId: string): UsageEvent {
  return usageEventSchema.parse({
    requestId,
    userId: 'user-spool',
    tokenId: 'token-spool',
    channelId: 'channel-a',
    model: 'gpt-4o-mini',
    upstreamModel: 'gpt-4o-mini',
    endpoint: '/v1/chat/completions',
    stream: false,
    status: 'success',
    httpStatus: 200,
    promptTokens: 10,
    completionTokens: 5,
    cacheReadTokens: 0,
    cacheWriteTokens: 0,
    estimated: false,
    cost: 60,
    reserved: 100,
    snapshotVersion: 1,
    startedAt: Date.now(),
    durationMs: 5,
    firstByteMs: 3,
    clientIp: '127.0.0.1',
    errorCode: null,
  });
}

test('events emitted while Redis is down are spooled to disk and replayed when it returns', async () => {
  const port = await freePort();
  const directory = mkdtempSync(join(tmpdir(), 'ng-spool-'));
  const spoolPath = join(directory, 'usage-spool.jsonl');
  const connection = new Redis(`redis://127.0.0.1:${port}`, { maxRetriesPerRequest: 1, enableOfflineQueue: false, retryStrategy: () => 100, lazyConnect: true });
  connection.on('error', () => undefined);
  connection.connect().catch(() => undefined);
  const metrics = new Metrics();
  const emitter = new UsageEmitter(connection, spoolPath, metrics, new WalletService(connection));
  emitter.start();
  let server: ReturnType<typeof spawn> | null = null;
  const reader = new Redis(`redis://127.0.0.1:${port}`, { maxRetriesPerRequest: null, lazyConnect: true });
  reader.on('error', () => undefined);
  try {
    await emitter.emit(event('req_spool_one'));
    await emitter.emit(event('req_spool_two'));
    expect(metrics.usageEventsSpooled).toBe(2);
    const lines = readFileSync(spoolPath, 'utf8').trim().split('\n');
    expect(lines.map((line) => (JSON.parse(line) as UsageEvent).requestId)).toEqual(['req_spool_one', 'req_spool_two']);

    server = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', directory], { stdio: 'ignore' });
    await eventually(() => Promise.resolve(connection.status === 'ready' ? true : null), 10_000);
    await emitter.replaySpool();
    const streamed = await eventually(async () => {
      const { events } = await readUsageStream(reader);
      return events.length === 2 ? events : null;
    }, 10_000);
    // In spool order, and as emitted: a spooled event keeps its own cost (the settle script did not write it).
    expect(streamed.map((item) => item.requestId)).toEqual(['req_spool_one', 'req_spool_two']);
    expect(streamed[1]).toMatchObject({ requestId: 'req_spool_two', cost: 60 });
    expect(metrics.usageEventsReplayed).toBe(2);
    expect(existsSync(spoolPath)).toBe(false);
  } finally {
    await emitter.stop();
    connection.disconnect();
    reader.disconnect();
    if (server) {
      const child = server;
      await new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGKILL');
      });
    }
    rmSync(directory, { recursive: true, force: true });
  }
});
