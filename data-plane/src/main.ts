// Process entry: configuration from the environment, start, one line on stdout, graceful stop on SIGINT/SIGTERM.
import { ConfigError, loadDataPlaneConfig } from './config';
import { describeError } from './observability/logger';
import { startDataPlane } from './server';

async function main(): Promise<void> {
  let config;
  try {
    config = loadDataPlaneConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`data plane configuration error: ${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  const running = await startDataPlane(config);
  process.stdout.write(`NebulaGate data plane listening on ${running.url}\n`);
  // Loud on purpose: with billing off every request is free and unrecorded.
  if (!config.billing) process.stderr.write('data plane: BILLING=off, requests are NOT billed and leave no usage event (measurement only)\n');
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`data plane stopping (${signal})\n`);
    running.close().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`data plane stop failed: ${describeError(error)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error: unknown) => {
  process.stderr.write(`data plane failed to start: ${describeError(error)}\n`);
  process.exit(1);
});
