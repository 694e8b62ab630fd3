// The data plane as a bench child, configured from the environment exactly like its own main.ts.
// BENCH_BILLING=off (set by the harness for its "billing off" target) overrides BILLING and starts the data plane with
// reserve/settle/usage events switched off; without BENCH_BILLING the data plane's own BILLING variable applies.
import { loadDataPlaneConfig, startDataPlane } from '@nebulagate/data-plane';
import { emitEvent, failStartup, onCommands } from '../child-protocol';

function billingFromHarness(value: string | undefined): boolean | null {
  if (value === 'off') return false;
  if (value === 'on') return true;
  return null;
}

async function main(): Promise<void> {
  const config = loadDataPlaneConfig(process.env);
  const billing = billingFromHarness(process.env.BENCH_BILLING) ?? config.billing;
  const dataPlane = await startDataPlane({ ...config, billing });
  onCommands(() => undefined);
  const stop = () => void dataPlane.close().then(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  emitEvent({ event: 'ready', url: dataPlane.url, port: dataPlane.port });
}

main().catch(failStartup);
