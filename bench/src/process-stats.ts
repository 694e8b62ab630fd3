// Reads another process's CPU time and memory from /proc, so the measured process runs no extra code for it.
import { readFileSync } from 'node:fs';

// USER_HZ is 100 on every Linux the project targets; /proc/<pid>/stat counts CPU time in these ticks.
const CLOCK_TICKS_PER_SECOND = 100;

export interface ProcessSample {
  /** User + system CPU time consumed so far. */
  cpuMicros: number;
  rssBytes: number;
  /** High-water mark of the resident set since the process started. */
  peakRssBytes: number;
}

export function readProcessSample(pid: number): ProcessSample | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may contain spaces; fields after its closing parenthesis are fixed.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const userTicks = Number(fields[11]);
    const systemTicks = Number(fields[12]);
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kilobytes = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0) * 1024;
    return {
      cpuMicros: ((userTicks + systemTicks) * 1_000_000) / CLOCK_TICKS_PER_SECOND,
      rssBytes: kilobytes('VmRSS'),
      peakRssBytes: kilobytes('VmHWM'),
    };
  } catch {
    return null;
  }
}

/** Samples a process's RSS on an interval while some work runs; the samples show steady state and spikes. */
export class RssSampler {
  private readonly samples: number[] = [];
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly pid: number,
    private readonly intervalMs = 200,
  ) {}

  start(): void {
    this.samples.length = 0;
    this.timer = setInterval(() => {
      const sample = readProcessSample(this.pid);
      if (sample) this.samples.push(sample.rssBytes);
    }, this.intervalMs);
  }

  stop(): number[] {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    return [...this.samples];
  }
}

/** Busy and total CPU time of the whole machine (all CPUs) so far, from /proc/stat. */
export function readMachineCpu(): { busyMicros: number; totalMicros: number } | null {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
    const [user = 0, nice = 0, system = 0, idle = 0, ioWait = 0, irq = 0, softIrq = 0, steal = 0] = line.trim().split(/\s+/).slice(1).map(Number);
    const busy = user + nice + system + irq + softIrq + steal;
    const toMicros = (ticks: number) => (ticks * 1_000_000) / CLOCK_TICKS_PER_SECOND;
    return { busyMicros: toMicros(busy), totalMicros: toMicros(busy + idle + ioWait) };
  } catch {
    return null;
  }
}

/**
 * How much of the machine other processes used during a measurement. The benchmark shares its two CPUs with
 * whatever else runs (builds, test suites); figures taken while that share is high are not comparable.
 */
export class ForeignCpuMeter {
  private machineBefore: ReturnType<typeof readMachineCpu> = null;
  private ownBefore = 0;

  constructor(private readonly ownPids: () => number[]) {}

  private ownCpuMicros(): number {
    return this.ownPids().reduce((sum, pid) => sum + (readProcessSample(pid)?.cpuMicros ?? 0), 0);
  }

  start(): void {
    this.machineBefore = readMachineCpu();
    this.ownBefore = this.ownCpuMicros();
  }

  /** Share (0..1) of all CPU time in the interval that went to processes outside the benchmark. */
  stop(): number | null {
    const machineAfter = readMachineCpu();
    if (!this.machineBefore || !machineAfter) return null;
    const total = machineAfter.totalMicros - this.machineBefore.totalMicros;
    const busy = machineAfter.busyMicros - this.machineBefore.busyMicros;
    const own = this.ownCpuMicros() - this.ownBefore;
    if (total <= 0) return null;
    return Math.max(0, Math.min(1, (busy - own) / total));
  }
}
