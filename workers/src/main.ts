// Workers process: config from the environment, start, one line on stdout, graceful stop on SIGINT/SIGTERM.
import { loadWorkersConfig } from './config';
import { startWorkers } from './workers';

async function main(): Promise<void> {
  const config = loadWorkersConfig(process.env);
  const handle = await startWorkers(config);
  process.stdout.write(`workers running (concurrency ${config.concurrency})\n`);
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`workers stopping (${signal})\n`);
    handle.close().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`workers stop failed: ${error instanceof Error ? error.message : String(error)}\n`);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error: unknown) => {
  process.stderr.write(`workers failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
