// Runs the mock provider as a process (quickstart DEMO=1, bench). MOCK_PORT, MOCK_CHUNK_INTERVAL_MS, MOCK_DELAY_MS.
import { startMockProvider } from './server';

async function main(): Promise<void> {
  const provider = await startMockProvider({
    port: Number(process.env.MOCK_PORT ?? 0),
    defaultScript: {
      delayMs: Number(process.env.MOCK_DELAY_MS ?? 0) || undefined,
      chunkIntervalMs: Number(process.env.MOCK_CHUNK_INTERVAL_MS ?? 0) || undefined,
      chunkCount: Number(process.env.MOCK_CHUNK_COUNT ?? 0) || undefined,
    },
  });
  // Keep memory flat in long runs: the process form does not need the request log.
  setInterval(() => provider.requests.splice(0), 1000).unref();
  process.stdout.write(`mock provider listening on ${provider.baseUrl}\n`);
  const stop = () => void provider.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

void main();
