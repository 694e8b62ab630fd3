// Finish reasons both ways: Gemini's finishReason -> OpenAI finish_reason (upstream adapter), and OpenAI's -> Gemini's
// (client wire).
export type OpenAiFinishReason = 'stop' | 'length' | 'tool_calls' | 'content_filter';

const CONTENT_FILTER_REASONS = new Set(['SAFETY', 'RECITATION', 'BLOCKLIST', 'PROHIBITED_CONTENT', 'SPII', 'IMAGE_SAFETY', 'LANGUAGE']);

/** `hasToolCalls` wins: Gemini says STOP after a function call, OpenAI clients expect tool_calls. */
export function mapGeminiFinishReason(finishReason: string | null, hasToolCalls: boolean): OpenAiFinishReason {
  if (hasToolCalls) return 'tool_calls';
  if (finishReason === 'MAX_TOKENS') return 'length';
  if (finishReason !== null && CONTENT_FILTER_REASONS.has(finishReason)) return 'content_filter';
  return 'stop';
}

export type GeminiFinishReason = 'STOP' | 'MAX_TOKENS' | 'SAFETY';

export function mapOpenAiFinishReasonToGemini(finishReason: string | null | undefined): GeminiFinishReason {
  if (finishReason === 'length') return 'MAX_TOKENS';
  if (finishReason === 'content_filter') return 'SAFETY';
  return 'STOP';
}
