// Anthropic stop_reason -> OpenAI finish_reason.
export type OpenAiFinishReason = 'stop' | 'length' | 'tool_calls' | 'content_filter';

export function mapAnthropicStopReason(stopReason: string | null | undefined): OpenAiFinishReason {
  switch (stopReason) {
    case 'max_tokens':
    case 'model_context_window_exceeded':
      return 'length';
    case 'tool_use':
      return 'tool_calls';
    case 'refusal':
      return 'content_filter';
    default:
      // end_turn, stop_sequence, pause_turn (a server-tool turn paused; the text so far is the answer), unknown.
      return 'stop';
  }
}
