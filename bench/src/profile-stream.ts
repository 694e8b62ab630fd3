// `--profile-stream`: the billing-on data plane under `node --cpu-prof` through the stream-cpu load (c=32 streams of 20
// chunks every 5 ms), so the profile shows what one relayed SSE event costs rather than one JSON request.
import type { BenchEnvironment } from './bench-environment';
import type { BenchSettings } from './bench-settings';
import { runClosedLoop } from './load-generator';
import type { ScenarioRunner } from './scenarios';
import { mockScript, requestShape } from './workload';

const CONFIGURE_TIMEOUT_MS = 5000;

/**
 * Runs the profiled stream load; returns the SSE events the gateway relayed in this process, warm-up streams included
 * (the warm-up's JSON requests also sit in the profile, a small share next to the stream load).
 */
export async function runStreamProfileLoad(environment: BenchEnvironment, runner: ScenarioRunner, settings: BenchSettings): Promise<number> {
  const gateway = environment.targets.find((target) => target.id === 'gateway');
  if (!gateway) throw new Error('profile mode needs the gateway target');
  const { concurrency, chunkCount, chunkIntervalMs } = settings.streamCpu;
  const configured = environment.mock.waitFor('configured', CONFIGURE_TIMEOUT_MS);
  environment.mock.send({ command: 'configure', script: mockScript({ chunkCount, chunkIntervalMs }) });
  await configured;
  await runner.measure('stream-cpu', 1, gateway, () =>
    runClosedLoop({ target: gateway.load, shape: requestShape(true), concurrency, durationMs: settings.profile.durationMs }),
  );
  return runner.records.filter((record) => record.target === 'gateway').reduce((sum, record) => sum + (record.result.streams?.events ?? 0), 0);
}
