// The data plane as a bench child, configured from the environment exactly like its own main.ts.
// BENCH_BILLING=off asks for a run without reserve/settle/usage events; it fails loudly if the data plane has no such
// switch, so the report says "missing" instead of measuring something else.
import { loadDataPlaneConfig, startDataPlane } from '@nebulagate/data-plane';
import { emitEvent, failStartup, onCommands } from '../child-protocol';

async function main(): Promise<void> {
  const config = loadDataPlaneConfig(process.env);
  if (process.env.BENCH_BILLING === 'off') {
    // Expected, not a crash: no stack trace in the report.
    emitEvent({ event: 'failed', message: 'the data plane has no switch to turn billing off (DataPlaneConfig has no such field yet)' });
    process.exit(1);
  }
  const dataPlane = await startDataPlane(config);
  onCommands(() => undefined);
  const stop = () => void dataPlane.close().then(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  emitEvent({ event: 'ready', url: dataPlane.url, port: dataPlane.port });
}

main().catch(failStartup);
