// Walks OpenAI chat SSE frames as bytes, one pass per frame. Frames pass through untouched; only frames that carry
// usage or an error are parsed as JSON. Counts streamed delta bytes so a broken or abandoned stream can be billed for
// what was delivered.
import type { TokenUsage } from '@nebulagate/schema';
import type { FrameAction, StreamProcessor } from '../provider-adapter';
import { RelayError } from '../../relay/relay-error';
import { sseDataText } from '../../relay/sse';
import { estimateTokensFromBytes, jsonStringByteLength } from '../../relay/usage-meter';
import { readErrorMessage, readStreamUsageChunk } from './api';
import { scrubUpstreamMessage } from './errors';
import { convertOpenAiUsage } from './usage';

const QUOTE = 0x22;
const COLON = 0x3a;
const OPEN_BRACE = 0x7b;
const USAGE_KEY = Buffer.from('usage');
const ERROR_KEY = Buffer.from('error');
const FINISH_REASON_KEY = Buffer.from('finish_reason');
/** Generated text lives in these string fields of a delta. */
const DELTA_TEXT_KEYS = ['content', 'arguments', 'reasoning_content', 'refusal'].map((key) => Buffer.from(key));

/** What one pass over a chunk frame found: all the stream processor acts on. */
export interface ChunkFrameFacts {
  /** A `"usage":{` object (a `"usage":null` is not one). */
  usage: boolean;
  /** An `"error":` field of any value. */
  error: boolean;
  /** A non-null finish reason (`"finish_reason":"`; null ones are `"finish_reason":null`). */
  finish: boolean;
  /** UTF-8 bytes of the string values of the content, arguments, reasoning_content and refusal fields. */
  deltaBytes: number;
}

function keyEquals(frame: Buffer, keyStart: number, keyLength: number, key: Buffer): boolean {
  if (keyLength !== key.length) return false;
  for (let index = 0; index < keyLength; index += 1) {
    if (frame[keyStart + index] !== key[index]) return false;
  }
  return true;
}

/**
 * Walks the frame's JSON strings once, without decoding or parsing: every `"key":` is looked at, every string value
 * skipped whole (so a marker-like text inside one is never taken for a field). Same facts as searching the frame for
 * `"usage":{`, `"error":`, `"finish_reason":"` and each `"<delta field>":"`, at a fifth of the cost of those seven
 * needle searches per streamed event; like them it expects no whitespace around the colon (upstreams send none).
 */
export function scanChunkFrame(frame: Buffer): ChunkFrameFacts {
  const facts: ChunkFrameFacts = { usage: false, error: false, finish: false, deltaBytes: 0 };
  const length = frame.length;
  let index = 0;
  for (;;) {
    while (index < length && frame[index] !== QUOTE) index += 1;
    if (index >= length) return facts;
    const keyStart = index + 1;
    const keyLength = jsonStringByteLength(frame, keyStart);
    const afterKey = keyStart + keyLength + 1;
    index = afterKey;
    // A string not followed by a colon is a value (or an array item): nothing to look at.
    if (frame[afterKey] !== COLON) continue;
    const valueFirstByte = frame[afterKey + 1];
    if (keyEquals(frame, keyStart, keyLength, ERROR_KEY)) facts.error = true;
    else if (valueFirstByte === OPEN_BRACE && keyEquals(frame, keyStart, keyLength, USAGE_KEY)) facts.usage = true;
    if (valueFirstByte !== QUOTE) {
      index = afterKey + 1;
      continue;
    }
    const valueStart = afterKey + 2;
    const valueLength = jsonStringByteLength(frame, valueStart);
    index = valueStart + valueLength + 1;
    if (keyEquals(frame, keyStart, keyLength, FINISH_REASON_KEY)) {
      facts.finish = true;
      continue;
    }
    for (const key of DELTA_TEXT_KEYS) {
      if (keyEquals(frame, keyStart, keyLength, key)) {
        facts.deltaBytes += valueLength;
        break;
      }
    }
  }
}

class OpenAiStreamProcessor implements StreamProcessor {
  usage: TokenUsage | null = null;
  streamedCompletionTokens = 0;
  sawContent = false;
  sawFinish = false;

  constructor(
    private readonly clientWantsUsage: boolean,
    private readonly secrets: string[],
  ) {}

  handleFrame(frame: Buffer): FrameAction {
    const facts = scanChunkFrame(frame);
    if (facts.usage) {
      const action = this.readUsageFrame(frame);
      if (action) return action;
    } else if (facts.error) {
      const error = this.readErrorFrame(frame);
      if (error) return { kind: 'error', error };
    }
    if (facts.finish) this.sawFinish = true;
    const bytes = facts.deltaBytes;
    if (bytes > 0) {
      this.sawContent = true;
      // At least one token per delta: upstreams send roughly one token per chunk.
      this.streamedCompletionTokens += Math.max(1, estimateTokensFromBytes(bytes));
    }
    return { kind: 'forward' };
  }

  /** Reads usage; drops the usage-only chunk when the gateway (not the client) asked for it. */
  private readUsageFrame(frame: Buffer): FrameAction | null {
    const data = sseDataText(frame);
    if (!data) return null;
    let json: unknown;
    try {
      json = JSON.parse(data);
    } catch {
      return null;
    }
    const chunk = readStreamUsageChunk(json);
    if (!chunk) return null;
    this.usage = convertOpenAiUsage(chunk.usage) ?? this.usage;
    const usageOnly = chunk.choiceCount === 0;
    if (usageOnly && !this.clientWantsUsage) return { kind: 'drop' };
    return null;
  }

  private readErrorFrame(frame: Buffer): RelayError | null {
    const data = sseDataText(frame);
    if (!data) return null;
    try {
      const upstream = readErrorMessage(JSON.parse(data));
      if (!upstream) return null;
      const message = upstream.message ?? '';
      const scrubbed = message ? scrubUpstreamMessage(message, this.secrets) : '';
      return new RelayError('upstream_error', `The upstream provider failed during the stream${scrubbed ? `: ${scrubbed}` : '.'}`);
    } catch {
      return null;
    }
  }
}

export function createOpenAiStreamProcessor(options: { clientWantsUsage: boolean; secrets: string[] }): StreamProcessor {
  return new OpenAiStreamProcessor(options.clientWantsUsage, options.secrets);
}
