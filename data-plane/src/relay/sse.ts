// Server-sent events at the byte level: split an upstream byte stream into frames without decoding or re-encoding the
// frames that pass through unchanged, and format the few frames the gateway writes itself.
const LF_DELIMITER = Buffer.from('\n\n');
const CRLF_DELIMITER = Buffer.from('\r\n\r\n');

/**
 * Where `needle` starts in `haystack` at or after `from`, or -1: Buffer#indexOf's answer. It runs for every SSE frame,
 * and a single-byte indexOf (memchr) plus a compare of the few bytes after it costs a fraction of a Buffer needle
 * search.
 */
export function indexOfBytes(haystack: Buffer, needle: Buffer, from = 0): number {
  const first = needle[0];
  if (first === undefined) return -1;
  const last = haystack.length - needle.length;
  for (let index = haystack.indexOf(first, from); index !== -1 && index <= last; index = haystack.indexOf(first, index + 1)) {
    if (startsWithBytesAt(haystack, needle, index)) return index;
  }
  return -1;
}

/** True when `haystack` holds `prefix` at `offset` (no copy, no native call). */
export function startsWithBytesAt(haystack: Buffer, prefix: Buffer, offset = 0): boolean {
  if (offset < 0 || offset + prefix.length > haystack.length) return false;
  for (let index = 0; index < prefix.length; index += 1) {
    if (haystack[offset + index] !== prefix[index]) return false;
  }
  return true;
}

/** Splits a stream of chunks into complete SSE frames (each returned with its trailing blank line). */
export class SseFrameSplitter {
  private pending: Buffer | null = null;
  private delimiter: Buffer | null = null;
  /** True when the last push consumed exactly that chunk: no earlier tail joined it and no tail was left. */
  lastPushWasExact = false;

  /** Returns the complete frames in `chunk` (plus what was pending); keeps the incomplete tail. */
  push(chunk: Buffer): Buffer[] {
    const joined = this.pending !== null;
    const data = joined && this.pending ? Buffer.concat([this.pending, chunk]) : chunk;
    this.lastPushWasExact = false;
    // Upstreams use one line ending for a whole stream; decide once.
    this.delimiter ??= data.indexOf(CRLF_DELIMITER) !== -1 ? CRLF_DELIMITER : data.indexOf(LF_DELIMITER) !== -1 ? LF_DELIMITER : null;
    const frames: Buffer[] = [];
    if (!this.delimiter) {
      this.pending = data;
      return frames;
    }
    let start = 0;
    for (;;) {
      const index = indexOfBytes(data, this.delimiter, start);
      if (index === -1) break;
      const end = index + this.delimiter.length;
      frames.push(data.subarray(start, end));
      start = end;
    }
    this.pending = start < data.length ? data.subarray(start) : null;
    this.lastPushWasExact = !joined && this.pending === null;
    return frames;
  }

  /** Whatever arrived after the last complete frame (an upstream that ended without a blank line). */
  flush(): Buffer | null {
    const rest = this.pending;
    this.pending = null;
    return rest && rest.length > 0 ? rest : null;
  }
}

/** `data: <json>\n\n` for a frame the gateway itself writes (errors); pass-through frames never go through here. */
export function formatSseData(payload: unknown): string {
  return `data: ${JSON.stringify(payload)}\n\n`;
}

/** The JSON text after `data:` in a single-line data frame, or null. */
export function sseDataText(frame: Buffer): string | null {
  const text = frame.toString('utf8');
  const match = /^data:[ ]?(.*)$/m.exec(text);
  return match?.[1] ?? null;
}

export const SSE_HEADERS = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache',
  'x-accel-buffering': 'no',
  connection: 'keep-alive',
} as const;
