// one-api / new-api price ratios -> NebulaGate prices, so migrating users keep what they charge. In those systems a
// model ratio of 1 means $0.002 per 1K prompt tokens ($2 per 1M); completion, cache-read and cache-write prices are
// the prompt price times their ratios; `model_price` is a flat USD price per call; `group_ratio` multiplies by group.
import { CREDITS_PER_USD } from '@nebulagate/schema';
import { z } from 'zod';

/** Credits per 1M tokens for a model ratio of 1: $2 per 1M tokens. */
export const CREDITS_PER_MILLION_AT_RATIO_ONE = 2 * CREDITS_PER_USD;

const ratioMap = z.record(z.string().min(1).max(255), z.number().finite().min(0));

export const ratioDocumentSchema = z
  .object({
    model_ratio: ratioMap.optional(),
    completion_ratio: ratioMap.optional(),
    cache_ratio: ratioMap.optional(),
    create_cache_ratio: ratioMap.optional(),
    model_price: ratioMap.optional(),
    group_ratio: z.record(z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/), z.number().finite().positive().max(1000)).optional(),
  })
  .strict();
export type RatioDocument = z.infer<typeof ratioDocumentSchema>;

export interface ImportedPrice {
  model: string;
  inputPerMillion: number;
  outputPerMillion: number;
  cacheReadPerMillion: number | null;
  cacheWritePerMillion: number | null;
  perCall: number;
}

export interface RatioImport {
  prices: ImportedPrice[];
  groupMultipliers: Record<string, number>;
}

/** Parses a pasted ratio document; the settings exports of both systems are either one object or its fields as JSON strings. */
export function parseRatioDocument(text: string): { ok: true; document: RatioDocument } | { ok: false; message: string } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, message: 'the document is not valid JSON' };
  }
  // new-api's option export stores each map as a JSON string: {"ModelRatio": "{...}"}; accept both spellings.
  if (typeof json === 'object' && json !== null && !Array.isArray(json)) {
    const aliases: Record<string, keyof RatioDocument> = {
      ModelRatio: 'model_ratio', CompletionRatio: 'completion_ratio', CacheRatio: 'cache_ratio', CreateCacheRatio: 'create_cache_ratio',
      ModelPrice: 'model_price', GroupRatio: 'group_ratio',
    };
    const normalised: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(json)) {
      const key = aliases[name] ?? name;
      if (typeof value === 'string') {
        try {
          normalised[key] = JSON.parse(value);
        } catch {
          return { ok: false, message: `${name} is a string but not JSON` };
        }
      } else {
        normalised[key] = value;
      }
    }
    json = normalised;
  }
  const parsed = ratioDocumentSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { ok: false, message: `${issue?.path.join('.') || 'document'}: ${issue?.message ?? 'invalid'}` };
  }
  return { ok: true, document: parsed.data };
}

function credits(perMillionUsdTimesRatio: number): number {
  return Math.round(perMillionUsdTimesRatio);
}

export function convertRatios(document: RatioDocument): RatioImport {
  const models = new Set([...Object.keys(document.model_ratio ?? {}), ...Object.keys(document.model_price ?? {})]);
  const prices: ImportedPrice[] = [];
  for (const model of [...models].sort()) {
    const ratio = document.model_ratio?.[model];
    const flatUsd = document.model_price?.[model];
    if (flatUsd !== undefined && ratio === undefined) {
      // A per-call model (images, audio, fixed-price chat): no token price.
      prices.push({ model, inputPerMillion: 0, outputPerMillion: 0, cacheReadPerMillion: null, cacheWritePerMillion: null, perCall: credits(flatUsd * CREDITS_PER_USD) });
      continue;
    }
    const input = (ratio ?? 0) * CREDITS_PER_MILLION_AT_RATIO_ONE;
    const completion = document.completion_ratio?.[model] ?? 1;
    const cacheRead = document.cache_ratio?.[model];
    const cacheWrite = document.create_cache_ratio?.[model];
    prices.push({
      model,
      inputPerMillion: credits(input),
      outputPerMillion: credits(input * completion),
      cacheReadPerMillion: cacheRead === undefined ? null : credits(input * cacheRead),
      cacheWritePerMillion: cacheWrite === undefined ? null : credits(input * cacheWrite),
      perCall: flatUsd === undefined ? 0 : credits(flatUsd * CREDITS_PER_USD),
    });
  }
  return { prices, groupMultipliers: { ...document.group_ratio } };
}
