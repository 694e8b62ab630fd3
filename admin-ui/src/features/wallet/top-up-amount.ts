// Reads a top-up amount typed in dollars or yuan as the whole hundredths (US cents, fen) the payment mutations take.

/** "10" or "10.5" -> 1000 / 1050 hundredths (US cents or fen); empty, not positive or too fine -> null. */
export function parseHundredths(text: string): number | null {
  const trimmed = text.trim().replace(/^[$¥]/, '');
  if (!/^\d+(\.\d{1,2})?$/.test(trimmed)) return null;
  const value = Math.round(Number(trimmed) * 100);
  return value > 0 ? value : null;
}
