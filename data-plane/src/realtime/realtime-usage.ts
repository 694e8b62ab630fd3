// Reads billable usage from Realtime server events. Only `response.done` carries it (response.usage); every other frame
// (audio deltas are large base64) is skipped by a byte search, never parsed.
import { z } from 'zod';
import type { TokenUsage } from '@nebulagate/schema';

const RESPONSE_DONE_MARKER = Buffer.from('"response.done"');

const responseDoneSchema = z.object({
  type: z.literal('response.done'),
  response: z
    .object({
      usage: z
        .object({
          input_tokens: z.number().int().min(0).nullish(),
          output_tokens: z.number().int().min(0).nullish(),
          input_token_details: z
            .object({
              cached_tokens: z.number().int().min(0).nullish(),
              text_tokens: z.number().int().min(0).nullish(),
              audio_tokens: z.number().int().min(0).nullish(),
            })
            .nullish(),
          output_token_details: z.object({ text_tokens: z.number().int().min(0).nullish(), audio_tokens: z.number().int().min(0).nullish() }).nullish(),
        })
        .nullish(),
    })
    .nullish(),
});

export interface RealtimeResponseUsage {
  usage: TokenUsage;
  /** Audio parts, kept for the record; the snapshot has no audio price, so audio tokens bill at the token prices. */
  inputAudioTokens: number;
  outputAudioTokens: number;
}

/** Usage of one upstream text frame when it is a `response.done` with usage; null for every other frame. */
export function readResponseDoneUsage(frame: Buffer): RealtimeResponseUsage | null {
  if (!frame.includes(RESPONSE_DONE_MARKER)) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(frame.toString('utf8'));
  } catch {
    return null;
  }
  const event = responseDoneSchema.safeParse(parsed);
  const usage = event.success ? event.data.response?.usage : null;
  if (!usage) return null;
  const promptTokens = usage.input_tokens ?? 0;
  return {
    usage: {
      promptTokens,
      completionTokens: usage.output_tokens ?? 0,
      cacheReadTokens: Math.min(promptTokens, usage.input_token_details?.cached_tokens ?? 0),
      cacheWriteTokens: 0,
    },
    inputAudioTokens: usage.input_token_details?.audio_tokens ?? 0,
    outputAudioTokens: usage.output_token_details?.audio_tokens ?? 0,
  };
}

export function addUsage(total: TokenUsage, more: TokenUsage): TokenUsage {
  return {
    promptTokens: total.promptTokens + more.promptTokens,
    completionTokens: total.completionTokens + more.completionTokens,
    cacheReadTokens: total.cacheReadTokens + more.cacheReadTokens,
    cacheWriteTokens: total.cacheWriteTokens + more.cacheWriteTokens,
  };
}

/**
 * Budget rule (documented choice: close, no top-up): after each response the session goes on only while what is left of
 * its reservation covers another response as costly as the costliest one so far. Overspend is thus bounded by one
 * response beyond that forecast, and the settle script takes such overshoot from the balance (never below zero).
 */
export function budgetAllowsAnotherResponse(reserved: number, spent: number, costliestResponse: number): boolean {
  return reserved - spent >= costliestResponse;
}
