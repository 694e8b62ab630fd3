// Voucher codes: random (crypto), easy to type (Crockford base32, grouped), looked up by keyed hash only.
import { createHmac, randomBytes } from 'node:crypto';

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
/** 20 symbols x 5 bits = 100 random bits: not guessable, and collisions never happen in practice. */
const RANDOM_SYMBOLS = 20;
const GROUP = 4;

export const PREFIX_PATTERN = /^[A-Z0-9]{1,12}$/;
/** A canonical code: what remains after normalising (admin-chosen gift codes must be at least 6 long). */
export const CANONICAL_PATTERN = /^[A-Z0-9]{6,64}$/;

export function generateVoucherCode(prefix: string | null, random: (size: number) => Buffer = randomBytes): string {
  // 256 is a multiple of 32, so masking a byte to 5 bits keeps every symbol equally likely.
  const symbols = [...random(RANDOM_SYMBOLS)].map((byte) => ALPHABET[byte & 31]).join('');
  const groups = symbols.match(new RegExp(`.{1,${GROUP}}`, 'g')) ?? [];
  return [...(prefix ? [prefix] : []), ...groups].join('-');
}

/** Upper-cases and drops spaces and dashes, so "ng-abcd efgh" and "NGABCDEFGH" are the same code. */
export function normalizeVoucherCode(code: string): string {
  return code.normalize('NFKC').toUpperCase().replace(/[\s-]+/g, '');
}

/** Keyed (HMAC under CRYPTO_SECRET): a leaked table does not let anyone test guesses of short gift codes offline. */
export function hashVoucherCode(canonicalCode: string, secret: string): string {
  return createHmac('sha256', secret).update(`voucher:${canonicalCode}`).digest('hex');
}

/** Enough to tell codes apart in a list, never enough to redeem one. */
export function voucherCodeHint(code: string): string {
  const canonical = normalizeVoucherCode(code);
  const dash = code.indexOf('-');
  const lead = dash > 0 && dash <= 12 ? code.slice(0, dash + 1) : canonical.slice(0, 2);
  return `${lead}…${canonical.slice(-4)}`;
}
