// The line protocol between the bench orchestrator and its child processes: one JSON object per line, events on the
// child's stdout, commands on its stdin. This side has no zod on purpose: L0 loads it, and L0 must carry nothing but
// node:http and undici (zod alone adds ~10 MB of RSS). Validation lives in child-protocol.schema.ts.
import { createInterface } from 'node:readline';

export interface BenchMockScript {
  delayMs?: number;
  content?: string;
  chunkCount?: number;
  chunkIntervalMs?: number;
  usage?: { promptTokens: number; completionTokens: number };
}

export type ChildCommand = { command: 'configure'; script: BenchMockScript } | { command: 'count' };

export type ChildEvent =
  | { event: 'ready'; url: string; port: number }
  | { event: 'configured' }
  | { event: 'count'; received: number }
  | { event: 'failed'; message: string };

export function emitEvent(event: ChildEvent): void {
  process.stdout.write(`${JSON.stringify(event)}\n`);
}

/** Child side: hand each JSON line from stdin to `handler` (which validates it); other lines are ignored. */
export function onCommands(handler: (value: unknown) => void): void {
  const lines = createInterface({ input: process.stdin });
  lines.on('line', (line) => {
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      return; // not JSON: not for us
    }
    handler(value);
  });
  // The orchestrator closing our stdin means it is gone; do not outlive it.
  lines.on('close', () => process.exit(0));
}

/** Child side: report a start-up failure on the protocol and exit non-zero. */
export function failStartup(error: unknown): never {
  emitEvent({ event: 'failed', message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  process.exit(1);
}
