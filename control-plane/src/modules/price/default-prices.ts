// List prices of well-known models (USD per 1M tokens, as published by the providers in 2025-2026), applied on
// request so a new installation can bill at once. Administrators should check them against their own contracts.
import { CREDITS_PER_USD } from '@nebulagate/schema';
import type { ImportedPrice } from './price-ratio-import';

type UsdRow = [model: string, input: number, output: number, cacheRead: number | null, cacheWrite: number | null];

const USD_PER_MILLION: UsdRow[] = [
  ['gpt-5', 1.25, 10, 0.125, null],
  ['gpt-5-mini', 0.25, 2, 0.025, null],
  ['gpt-5-nano', 0.05, 0.4, 0.005, null],
  ['gpt-4.1', 2, 8, 0.5, null],
  ['gpt-4.1-mini', 0.4, 1.6, 0.1, null],
  ['gpt-4.1-nano', 0.1, 0.4, 0.025, null],
  ['gpt-4o', 2.5, 10, 1.25, null],
  ['gpt-4o-mini', 0.15, 0.6, 0.075, null],
  ['o3', 2, 8, 0.5, null],
  ['o4-mini', 1.1, 4.4, 0.275, null],
  ['text-embedding-3-small', 0.02, 0, null, null],
  ['text-embedding-3-large', 0.13, 0, null, null],
  ['claude-opus-4-1', 15, 75, 1.5, 18.75],
  ['claude-sonnet-4-5', 3, 15, 0.3, 3.75],
  ['claude-sonnet-4-0', 3, 15, 0.3, 3.75],
  ['claude-haiku-4-5', 1, 5, 0.1, 1.25],
  ['claude-3-5-haiku-latest', 0.8, 4, 0.08, 1],
  ['gemini-2.5-pro', 1.25, 10, 0.31, null],
  ['gemini-2.5-flash', 0.3, 2.5, 0.075, null],
  ['gemini-2.5-flash-lite', 0.1, 0.4, 0.025, null],
  ['gemini-2.0-flash', 0.1, 0.4, 0.025, null],
  ['deepseek-chat', 0.28, 0.42, 0.028, null],
  ['deepseek-reasoner', 0.28, 0.42, 0.028, null],
];

const toCredits = (usd: number) => Math.round(usd * CREDITS_PER_USD);

export const DEFAULT_PRICES: readonly ImportedPrice[] = USD_PER_MILLION.map(([model, input, output, cacheRead, cacheWrite]) => ({
  model,
  inputPerMillion: toCredits(input),
  outputPerMillion: toCredits(output),
  cacheReadPerMillion: cacheRead === null ? null : toCredits(cacheRead),
  cacheWritePerMillion: cacheWrite === null ? null : toCredits(cacheWrite),
  perCall: 0,
}));
