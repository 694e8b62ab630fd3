// The project's mock provider as a bench child: reconfigured between scenarios over stdin, and counting what it
// received so the orchestrator can check that both ends of every run saw the same number of requests.
import { startMockProvider } from '@nebulagate/testing';
import { emitEvent, failStartup, onCommands } from '../child-protocol';
import { childCommandSchema } from '../child-protocol.schema';

async function main(): Promise<void> {
  const provider = await startMockProvider({ port: Number(process.env.BENCH_MOCK_PORT ?? 0), models: ['bench-model'] });
  // The request log grows with every request; fold it into a counter so long runs keep memory flat.
  let received = 0;
  setInterval(() => {
    received += provider.requests.length;
    provider.requests.length = 0;
  }, 250).unref();

  onCommands((value) => {
    const parsed = childCommandSchema.safeParse(value);
    if (!parsed.success) return;
    const command = parsed.data;
    if (command.command === 'configure') {
      provider.setDefault(command.script);
      emitEvent({ event: 'configured' });
    } else {
      emitEvent({ event: 'count', received: received + provider.requests.length });
    }
  });
  const stop = () => void provider.close().then(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  emitEvent({ event: 'ready', url: provider.baseUrl, port: provider.port });
}

main().catch(failStartup);
