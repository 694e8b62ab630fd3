// Small zod schemas for the OpenAI chat wire format: only the fields we read, nullish so upstream additions never break us.
import { z } from 'zod';

export const chatRequestSchema = z.looseObject({
  model: z.string({ error: 'you must provide a model parameter' }).min(1, 'you must provide a model parameter'),
  messages: z
    .array(z.unknown(), { error: "'messages' must be a non-empty array" })
    .min(1, "'messages' must be a non-empty array"),
  stream: z.boolean().nullish(),
  stream_options: z.looseObject({ include_usage: z.boolean().nullish() }).nullish(),
  max_tokens: z.number().int().min(0).nullish(),
  max_completion_tokens: z.number().int().min(0).nullish(),
});
export type ChatRequest = z.infer<typeof chatRequestSchema>;

export const usageSchema = z.looseObject({
  prompt_tokens: z.number().int().min(0).nullish(),
  completion_tokens: z.number().int().min(0).nullish(),
  prompt_tokens_details: z.looseObject({ cached_tokens: z.number().int().min(0).nullish() }).nullish(),
});
export type OpenAiUsage = z.infer<typeof usageSchema>;

export const chatResponseSchema = z.looseObject({
  choices: z
    .array(
      z.looseObject({
        message: z
          .looseObject({
            content: z.string().nullish(),
            refusal: z.string().nullish(),
            tool_calls: z.array(z.looseObject({ function: z.looseObject({ arguments: z.string().nullish() }).nullish() })).nullish(),
          })
          .nullish(),
      }),
    )
    .nullish(),
  usage: usageSchema.nullish(),
});

export const streamUsageChunkSchema = z.looseObject({
  choices: z.array(z.unknown()).nullish(),
  usage: usageSchema.nullish(),
});

export const errorBodySchema = z.looseObject({
  error: z.union([
    z.looseObject({ message: z.string().nullish(), type: z.string().nullish(), code: z.union([z.string(), z.number()]).nullish(), param: z.string().nullish() }),
    z.string(),
  ]),
});
