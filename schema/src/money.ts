// Money is integer credits: 1 credit = 1e-6 USD. Prices are integer credits per 1M tokens (= USD per 1M tokens × 1e6).
// Costs round up per component so a request never costs less than its exact price.
export const CREDITS_PER_USD = 1_000_000;

export interface ModelPriceTable {
  inputPerMillion: number;
  outputPerMillion: number;
  /** null falls back to the input price (never to 0). */
  cacheReadPerMillion: number | null;
  /** null falls back to the input price (never to 0). */
  cacheWritePerMillion: number | null;
  /** Flat credits charged per successful call, on top of token prices. */
  perCall: number;
}

export interface TokenUsage {
  /** All prompt tokens, including cached and cache-write tokens. */
  promptTokens: number;
  completionTokens: number;
  /** Prompt tokens served from the provider's cache (subset of promptTokens). */
  cacheReadTokens: number;
  /** Prompt tokens written to the provider's cache (subset of promptTokens). */
  cacheWriteTokens: number;
}

export interface CostBreakdown {
  input: number;
  cacheRead: number;
  cacheWrite: number;
  output: number;
  perCall: number;
  total: number;
}

function perMillion(tokens: number, pricePerMillion: number): number {
  if (tokens <= 0 || pricePerMillion <= 0) return 0;
  // tokens and prices are integers; the product stays exact below 2^53 for any realistic request.
  return Math.ceil((tokens * pricePerMillion) / 1_000_000);
}

export function computeCost(usage: TokenUsage, price: ModelPriceTable, multiplier = 1): CostBreakdown {
  const cacheRead = Math.max(0, usage.cacheReadTokens);
  const cacheWrite = Math.max(0, usage.cacheWriteTokens);
  const plainInput = Math.max(0, usage.promptTokens - cacheRead - cacheWrite);
  const breakdown = {
    input: perMillion(plainInput, price.inputPerMillion),
    cacheRead: perMillion(cacheRead, price.cacheReadPerMillion ?? price.inputPerMillion),
    cacheWrite: perMillion(cacheWrite, price.cacheWritePerMillion ?? price.inputPerMillion),
    output: perMillion(usage.completionTokens, price.outputPerMillion),
    perCall: price.perCall,
  };
  const subtotal = breakdown.input + breakdown.cacheRead + breakdown.cacheWrite + breakdown.output + breakdown.perCall;
  return { ...breakdown, total: Math.ceil(subtotal * multiplier) };
}

/** Formats credits as USD for display, e.g. 1234567 -> "$1.234567". */
export function formatCreditsAsUsd(credits: number): string {
  const sign = credits < 0 ? '-' : '';
  const absolute = Math.abs(credits);
  const whole = Math.floor(absolute / CREDITS_PER_USD);
  const fraction = String(absolute % CREDITS_PER_USD).padStart(6, '0');
  return `${sign}$${whole}.${fraction}`;
}
