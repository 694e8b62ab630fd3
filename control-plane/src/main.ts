// Control-plane process: config from the environment, start, one line on stdout, graceful stop on SIGINT/SIGTERM.
import { loadControlPlaneConfig } from './config';
import { startControlPlane } from './app';

async function main(): Promise<void> {
  const config = loadControlPlaneConfig(process.env);
  const handle = await startControlPlane(config);
  process.stdout.write(`control plane listening on ${handle.url} (GraphQL at ${handle.url}/graphql)\n`);
  if (handle.initialRootPassword !== null) {
    process.stdout.write(`first start: user "root", password ${handle.initialRootPassword} (also in ${config.dataDir}/initial-root-password; change it)\n`);
  }
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`control plane stopping (${signal})\n`);
    handle.close().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`control plane stop failed: ${error instanceof Error ? error.message : String(error)}\n`);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error: unknown) => {
  process.stderr.write(`control plane failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
