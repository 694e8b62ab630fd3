// Walks OpenAI chat SSE frames as bytes. Frames pass through untouched; only frames that mention usage or an error are
// parsed as JSON. Counts streamed delta bytes so a broken or abandoned stream can be billed for what was delivered.
import type { TokenUsage } from '@nebulagate/schema';
import type { FrameAction, StreamProcessor } from '../provider-adapter';
import { RelayError } from '../../relay/relay-error';
import { sseDataText } from '../../relay/sse';
import { estimateTokensFromBytes, jsonStringByteLength } from '../../relay/usage-meter';
import { readErrorMessage, readStreamUsageChunk } from './api';
import { scrubUpstreamMessage } from './errors';
import { convertOpenAiUsage } from './usage';

const USAGE_MARKER = Buffer.from('"usage":{');
/** A non-null finish reason (null ones are `"finish_reason":null`). */
const FINISH_MARKER = Buffer.from('"finish_reason":"');
const ERROR_MARKER = Buffer.from('"error":');
/** Generated text lives in these string fields of a delta. */
const DELTA_MARKERS = ['"content":"', '"arguments":"', '"reasoning_content":"', '"refusal":"'].map((marker) => Buffer.from(marker));

function deltaBytes(frame: Buffer): number {
  let total = 0;
  for (const marker of DELTA_MARKERS) {
    let from = 0;
    for (;;) {
      const index = frame.indexOf(marker, from);
      if (index === -1) break;
      const valueStart = index + marker.length;
      const length = jsonStringByteLength(frame, valueStart);
      total += length;
      from = valueStart + length + 1;
    }
  }
  return total;
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
    if (frame.indexOf(USAGE_MARKER) !== -1) {
      const action = this.readUsageFrame(frame);
      if (action) return action;
    } else if (frame.indexOf(ERROR_MARKER) !== -1) {
      const error = this.readErrorFrame(frame);
      if (error) return { kind: 'error', error };
    }
    if (!this.sawFinish && frame.indexOf(FINISH_MARKER) !== -1) this.sawFinish = true;
    const bytes = deltaBytes(frame);
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
