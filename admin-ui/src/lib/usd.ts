// Credits <-> USD for prices: 1 credit = 1e-6 USD, so a price in credits per 1M tokens reads as USD per 1M tokens / 1e6.
import { CREDITS_PER_USD, formatCreditsAsUsd } from './contract';

/** 2_500_000 -> "$2.50", 150_000 -> "$0.15", 1_234 -> "$0.001234": exact, trailing zeros trimmed to two decimals. */
export function formatUsdShort(credits: number): string {
  return formatCreditsAsUsd(credits).replace(/(\.\d\d\d*?)0+$/, '$1');
}

/** "2.5" -> 2_500_000; empty or not a non-negative number -> null. Rounded to whole credits. */
export function usdToCredits(text: string): number | null {
  const trimmed = text.trim().replace(/^\$/, '');
  if (trimmed === '') return null;
  const value = Number(trimmed);
  if (!Number.isFinite(value) || value < 0) return null;
  return Math.round(value * CREDITS_PER_USD);
}

/** 2_500_000 -> "2.5", for pre-filling an input in USD. */
export function creditsToUsdText(credits: number): string {
  return formatUsdShort(credits).replace(/^\$/, '').replace(/\.00$/, '');
}

/** Like usdToCredits but a leading minus is allowed: "-1.5" -> -1_500_000 (a debit). */
export function signedUsdToCredits(text: string): number | null {
  const trimmed = text.trim();
  const negative = trimmed.startsWith('-');
  const credits = usdToCredits(negative ? trimmed.slice(1) : trimmed);
  return credits === null ? null : negative ? -credits : credits;
}
