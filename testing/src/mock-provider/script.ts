// What the mock provider should do for one request. Tests enqueue scripts; without one the default applies.
export interface MockScript {
  /** HTTP status; non-2xx answers with `errorBody` (or an OpenAI-shaped error). */
  status?: number;
  errorBody?: unknown;
  /** Delay before the response headers. */
  delayMs?: number;
  /** Reply text; split into this many stream chunks (default: one per word). */
  content?: string;
  chunkCount?: number;
  /** Pause between stream chunks. */
  chunkIntervalMs?: number;
  /** Leave usage out of the reply (and out of the stream's usage chunk). */
  omitUsage?: boolean;
  /** Usage to report; defaults derive from the request and reply. */
  usage?: { promptTokens: number; completionTokens: number; cachedTokens?: number };
  /** Destroy the socket after this many stream chunks (mid-stream failure). */
  resetAfterChunks?: number;
  /** Send a mid-stream `data: {"error":...}` frame after this many chunks, then end the stream. */
  errorAfterChunks?: number;
}

export const DEFAULT_REPLY = 'Hello from the NebulaGate mock provider!';

/** A deterministic token count: one token per whitespace-separated word (at least one for non-empty text). */
export function countWords(text: string): number {
  const words = text.trim().split(/\s+/).filter(Boolean);
  return words.length;
}

export function splitIntoChunks(text: string, chunkCount: number | undefined): string[] {
  const words = text.split(/(?<=\s)/);
  if (!chunkCount || chunkCount >= words.length) return words;
  const size = Math.ceil(words.length / chunkCount);
  const chunks: string[] = [];
  for (let index = 0; index < words.length; index += size) chunks.push(words.slice(index, index + size).join(''));
  return chunks;
}
