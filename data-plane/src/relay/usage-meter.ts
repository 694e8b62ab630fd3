// Local token estimates, used only where the upstream gives no usage (and for the worst-case reservation).
//
// Reservation: prompt tokens are over-estimated as ceil(UTF-8 bytes of the decompressed request body / 2). Real
// tokenizers average ~4 bytes per token for English and ~1.5-3 for CJK; the whole body (messages, tools, system) is
// counted, so the reservation is a safe upper bound for almost every request without running a tokenizer.
// Billing estimates (upstream gave no usage, client disconnected, stream broke): ceil(bytes / 4), the common
// tokenizer average, with at least one token per streamed delta; such usage is flagged `estimated`.
import type { TokenUsage } from '@nebulagate/schema';

export function worstCasePromptTokens(bodyBytes: number): number {
  return Math.ceil(bodyBytes / 2);
}

export function estimateTokensFromBytes(bytes: number): number {
  return bytes <= 0 ? 0 : Math.ceil(bytes / 4);
}

export function estimatedUsage(promptBytes: number, completionTokens: number): TokenUsage {
  return { promptTokens: estimateTokensFromBytes(promptBytes), completionTokens, cacheReadTokens: 0, cacheWriteTokens: 0 };
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/**
 * Bytes of the JSON string value that starts right after `valueStart` (the byte after the opening quote), without
 * decoding it. Returns the length up to the closing unescaped quote.
 */
export function jsonStringByteLength(buffer: Buffer, valueStart: number): number {
  let index = valueStart;
  while (index < buffer.length) {
    const byte = buffer[index];
    if (byte === BACKSLASH) {
      index += 2;
      continue;
    }
    if (byte === QUOTE) return index - valueStart;
    index += 1;
  }
  return index - valueStart;
}
