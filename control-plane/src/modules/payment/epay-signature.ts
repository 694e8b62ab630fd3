// Epay (易支付) signatures: parameters with a non-empty value, except sign and sign_type, sorted by name (ASCII),
// joined as name=value&name=value, the merchant key appended directly, MD5, lower-case hex.
import { createHash, timingSafeEqual } from 'node:crypto';

export type EpayParameters = Record<string, string>;

export function epaySigningString(parameters: EpayParameters): string {
  return Object.keys(parameters)
    .filter((name) => name !== 'sign' && name !== 'sign_type' && parameters[name] !== '')
    .sort()
    .map((name) => `${name}=${parameters[name]}`)
    .join('&');
}

export function signEpay(parameters: EpayParameters, key: string): string {
  return createHash('md5').update(epaySigningString(parameters) + key, 'utf8').digest('hex');
}

export function verifyEpaySignature(parameters: EpayParameters, key: string): boolean {
  if (key.length === 0) throw new Error('the Epay key is empty');
  const given = (parameters.sign ?? '').toLowerCase();
  if (!/^[0-9a-f]{32}$/.test(given)) return false;
  if (parameters.sign_type !== undefined && parameters.sign_type.toUpperCase() !== 'MD5') return false;
  return timingSafeEqual(Buffer.from(given, 'hex'), Buffer.from(signEpay(parameters, key), 'hex'));
}

/** Minor units (fen) as Epay's decimal "money" string: 1234 -> "12.34". */
export function formatMinorUnits(minor: number): string {
  return `${Math.floor(minor / 100)}.${String(minor % 100).padStart(2, '0')}`;
}

/** Epay's "money" back to fen without floating point; null when it is not a plain amount. */
export function parseMinorUnits(money: string): number | null {
  const match = /^(\d{1,10})(?:\.(\d{1,2}))?$/.exec(money.trim());
  if (!match) return null;
  return Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0'));
}
