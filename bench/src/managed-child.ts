// Orchestrator side of a bench child process: optional CPU pinning with taskset, JSON-line events, bounded waits,
// and a stop that always ends with the process gone.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { ChildCommand, ChildEvent } from './child-protocol';
import { childEventSchema } from './child-protocol.schema';

export interface Pinning {
  /** taskset exists and the machine has at least two CPUs. */
  available: boolean;
  reason: string;
}

export function detectPinning(cpuCount: number): Pinning {
  if (process.platform !== 'linux') return { available: false, reason: 'not Linux' };
  if (cpuCount < 2) return { available: false, reason: `only ${cpuCount} CPU` };
  const probe = spawnSync('taskset', ['-c', '0', 'true'], { stdio: 'ignore' });
  if (probe.error || probe.status !== 0) return { available: false, reason: 'taskset not usable' };
  return { available: true, reason: 'taskset' };
}

export class ManagedChild {
  private readonly waiters: Array<{ accept: (event: ChildEvent) => boolean; resolve: (event: ChildEvent) => void }> = [];
  private readonly stderrLines: string[] = [];
  private exited = false;
  private readonly exitPromise: Promise<void>;

  private constructor(
    readonly name: string,
    private readonly child: ChildProcess,
  ) {
    this.exitPromise = new Promise((resolve) => child.once('exit', () => resolve()));
    child.once('exit', () => {
      this.exited = true;
    });
    createInterface({ input: child.stdout! }).on('line', (line) => this.onLine(line));
    createInterface({ input: child.stderr! }).on('line', (line) => {
      this.stderrLines.push(line);
      if (this.stderrLines.length > 40) this.stderrLines.shift();
    });
  }

  /** Starts `node <nodeArguments>`, pinned to `cpu` when pinning is available. */
  static start(options: { name: string; nodeArguments: string[]; env?: NodeJS.ProcessEnv; cpu: number | null; pinning: Pinning }): ManagedChild {
    const pinned = options.cpu !== null && options.pinning.available;
    const command = pinned ? 'taskset' : process.execPath;
    const commandArguments = pinned ? ['-c', String(options.cpu), process.execPath, ...options.nodeArguments] : options.nodeArguments;
    const child = spawn(command, commandArguments, { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, ...options.env } });
    return new ManagedChild(options.name, child);
  }

  get pid(): number {
    if (this.child.pid === undefined) throw new Error(`${this.name} has no pid (did it start?)`);
    return this.child.pid;
  }

  get recentStderr(): string {
    return this.stderrLines.join('\n');
  }

  private onLine(line: string): void {
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      return;
    }
    const parsed = childEventSchema.safeParse(value);
    if (!parsed.success) return;
    const index = this.waiters.findIndex((waiter) => waiter.accept(parsed.data));
    if (index >= 0) this.waiters.splice(index, 1)[0]?.resolve(parsed.data);
  }

  /** Waits for the next event of a kind; a `failed` event, an exit or the timeout rejects. */
  waitFor<K extends ChildEvent['event']>(event: K, timeoutMs: number): Promise<Extract<ChildEvent, { event: K }>> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => finish(new Error(`${this.name}: no "${event}" within ${timeoutMs} ms\n${this.recentStderr}`)), timeoutMs);
      const onExit = () => finish(new Error(`${this.name} exited before "${event}"\n${this.recentStderr}`));
      const finish = (outcome: ChildEvent | Error) => {
        clearTimeout(timer);
        this.child.off('exit', onExit);
        const index = this.waiters.indexOf(waiter);
        if (index >= 0) this.waiters.splice(index, 1);
        if (outcome instanceof Error) reject(outcome);
        else if (outcome.event === 'failed') reject(new Error(`${this.name} failed: ${outcome.message}`));
        else resolve(outcome as Extract<ChildEvent, { event: K }>);
      };
      const waiter = { accept: (candidate: ChildEvent) => candidate.event === event || candidate.event === 'failed', resolve: finish };
      this.waiters.push(waiter);
      if (this.exited) onExit();
      else this.child.once('exit', onExit);
    });
  }

  send(command: ChildCommand): void {
    this.child.stdin?.write(`${JSON.stringify(command)}\n`);
  }

  /** SIGTERM, then SIGKILL after a grace period; resolves once the process is gone. */
  async stop(graceMs = 5000): Promise<void> {
    if (this.exited) return;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    await this.exitPromise;
    clearTimeout(timer);
  }
}
