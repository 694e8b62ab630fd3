// L0 as a bench child process (pinned to the gateway core like the data plane). BENCH_UPSTREAM_ORIGIN = the mock.
import { startPassThroughProxy } from '../pass-through-proxy';
import { emitEvent, failStartup, onCommands } from '../child-protocol';

async function main(): Promise<void> {
  const upstreamOrigin = process.env.BENCH_UPSTREAM_ORIGIN;
  if (!upstreamOrigin) throw new Error('BENCH_UPSTREAM_ORIGIN is required');
  const proxy = await startPassThroughProxy({ upstreamOrigin });
  onCommands(() => undefined);
  const stop = () => void proxy.close().then(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  emitEvent({ event: 'ready', url: proxy.url, port: proxy.port });
}

main().catch(failStartup);
