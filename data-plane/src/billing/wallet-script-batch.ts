// Runs the reserve and settle scripts that requests issue in one event-loop turn as ONE Redis command: a batch script
// calls each one's own script body in order and returns their replies in order. Each operation keeps its exact
// semantics (it runs atomically, as before; the whole batch is even atomic), but a busy node pays the client's
// per-command work, the write syscall and Redis's per-call overhead once per turn instead of once per operation
// (bench profile: a separate Redis write cost ~14 µs, ioredis ~5 µs per command). A lone request still goes out in
// the same turn (setImmediate), so nothing waits for a timer.
import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';

/** Operations per command: keeps one script run (and one reply) reasonably small. */
const MAX_BATCH_OPERATIONS = 256;

export interface BatchedScript {
  /** Lua body written for KEYS and ARGV, ending in `return`. */
  body: string;
}

interface PendingOperation {
  packed: string;
  resolve: (reply: unknown) => void;
  reject: (error: unknown) => void;
}

/**
 * ARGV: one string per operation: its code, its key count, its keys and its arguments, each field written as
 * `<byte length>:<bytes>`. Packing an operation into one argument keeps the client's per-argument work (the largest
 * part of a batched command's cost) to one argument per operation; Redis splits them. Keys travel as arguments: a batch
 * mixes many users' keys in one script anyway, which only a single Redis (not Cluster) runs. Each script body runs as a
 * function whose KEYS and ARGV are its own.
 */
function batchScriptOf(scripts: readonly BatchedScript[]): string {
  const functions = scripts.map((script, index) => `local function op${index + 1}(KEYS, ARGV)\n${script.body}\nend`).join('\n');
  return `${functions}
local ops = { ${scripts.map((_, index) => `op${index + 1}`).join(', ')} }
local function fields(packed)
  local out = {}
  local at = 1
  local size = #packed
  while at <= size do
    local colon = string.find(packed, ':', at, true)
    local length = tonumber(string.sub(packed, at, colon - 1))
    out[#out + 1] = string.sub(packed, colon + 1, colon + length)
    at = colon + length + 1
  end
  return out
end
local out = {}
for i = 1, #ARGV do
  local f = fields(ARGV[i])
  local keyCount = tonumber(f[2])
  local keys = {}
  for j = 1, keyCount do keys[j] = f[2 + j] end
  local args = {}
  for j = 3 + keyCount, #f do args[#args + 1] = f[j] end
  out[i] = ops[tonumber(f[1])](keys, args)
end
return out
`;
}

/** One operation as one argument of the batch script (see batchScriptOf). */
function packOperation(code: number, keys: readonly string[], args: ReadonlyArray<string | number>): string {
  let packed = `${String(code).length}:${code}${String(keys.length).length}:${keys.length}`;
  for (const key of keys) packed += `${Buffer.byteLength(key)}:${key}`;
  for (const arg of args) {
    const text = typeof arg === 'number' ? String(arg) : arg;
    packed += `${Buffer.byteLength(text)}:${text}`;
  }
  return packed;
}

export class WalletScriptBatch {
  readonly script: string;
  private readonly sha: string;
  private pending: PendingOperation[] = [];
  private scheduled = false;

  /** `scripts[i]` is run by code `i + 1`. */
  constructor(
    private readonly redis: Redis,
    scripts: readonly BatchedScript[],
  ) {
    this.script = batchScriptOf(scripts);
    this.sha = createHash('sha1').update(this.script).digest('hex');
  }

  /** Queues one operation for this turn's command; resolves with its own reply, rejects if the command failed. */
  run(code: number, keys: string[], args: Array<string | number>): Promise<unknown> {
    return new Promise((resolve, reject) => {
      this.pending.push({ packed: packOperation(code, keys, args), resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(this.flush);
      }
    });
  }

  private readonly flush = (): void => {
    this.scheduled = false;
    while (this.pending.length > 0) void this.send(this.pending.splice(0, MAX_BATCH_OPERATIONS));
  };

  private async send(batch: PendingOperation[]): Promise<void> {
    const packed = batch.map((operation) => operation.packed);
    let replies: unknown;
    try {
      replies = await this.call(packed);
    } catch (error) {
      for (const operation of batch) operation.reject(error);
      return;
    }
    if (!Array.isArray(replies) || replies.length !== batch.length) {
      const error = new Error('unexpected wallet batch reply');
      for (const operation of batch) operation.reject(error);
      return;
    }
    batch.forEach((operation, index) => operation.resolve(replies[index]));
  }

  /** EVALSHA first (no script text on the wire per turn); EVAL once when Redis has not cached the script yet. */
  private async call(packed: string[]): Promise<unknown> {
    try {
      return await this.redis.evalsha(this.sha, 0, ...packed);
    } catch (error) {
      if (error instanceof Error && error.message.startsWith('NOSCRIPT')) return this.redis.eval(this.script, 0, ...packed);
      throw error;
    }
  }
}
