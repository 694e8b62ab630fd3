// Stripe webhook signatures: header "t=<unix seconds>,v1=<hex>[,v1=...]", v1 = HMAC-SHA256(secret, "<t>.<raw body>").
import { createHmac, timingSafeEqual } from 'node:crypto';

export type StripeSignatureCheck =
  | { ok: true; timestamp: number }
  | { ok: false; reason: 'missing_header' | 'malformed_header' | 'stale_timestamp' | 'bad_signature' };

export interface StripeSignatureHeader {
  timestamp: number | null;
  signatures: string[];
}

export function parseStripeSignatureHeader(header: string): StripeSignatureHeader {
  let timestamp: number | null = null;
  const signatures: string[] = [];
  for (const part of header.split(',')) {
    const separator = part.indexOf('=');
    if (separator <= 0) continue;
    const name = part.slice(0, separator).trim();
    const value = part.slice(separator + 1).trim();
    if (name === 't' && /^\d{1,12}$/.test(value)) timestamp = Number(value);
    if (name === 'v1' && /^[0-9a-f]{64}$/i.test(value)) signatures.push(value.toLowerCase());
  }
  return { timestamp, signatures };
}

export function signStripePayload(payload: string | Buffer, secret: string, timestamp: number): string {
  return createHmac('sha256', secret).update(`${timestamp}.`).update(payload).digest('hex');
}

export function verifyStripeSignature(request: {
  payload: Buffer;
  header: string | null | undefined;
  secret: string;
  toleranceSeconds: number;
  nowSeconds: number;
}): StripeSignatureCheck {
  // An empty secret would make every signature "valid" for whoever knows that (new-api CVE-2026-41432).
  if (request.secret.length === 0) throw new Error('the Stripe webhook secret is empty');
  if (!request.header) return { ok: false, reason: 'missing_header' };
  const parsed = parseStripeSignatureHeader(request.header);
  if (parsed.timestamp === null || parsed.signatures.length === 0) return { ok: false, reason: 'malformed_header' };
  const expected = Buffer.from(signStripePayload(request.payload, request.secret, parsed.timestamp), 'hex');
  // Every candidate is compared (constant time each), so timing says nothing about which one matched.
  let matched = false;
  for (const signature of parsed.signatures) {
    if (timingSafeEqual(Buffer.from(signature, 'hex'), expected)) matched = true;
  }
  if (!matched) return { ok: false, reason: 'bad_signature' };
  if (Math.abs(request.nowSeconds - parsed.timestamp) > request.toleranceSeconds) return { ok: false, reason: 'stale_timestamp' };
  return { ok: true, timestamp: parsed.timestamp };
}
