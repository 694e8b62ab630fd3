// Table tests for the payment building blocks: Stripe-Signature and Epay MD5 checks, Epay money strings, the
// settings reader that refuses half-configured providers, and a control plane with payments off.
import { createHash, createHmac } from 'node:crypto';
import { ConfigError, loadControlPlaneConfig } from '../src';
import { epaySigningString, formatMinorUnits, parseMinorUnits, signEpay, verifyEpaySignature } from '../src/modules/payment/epay-signature';
import { readPaymentConfig } from '../src/modules/payment/payment-config';
import { orderIdOfEpayTradeNumber, epayTradeNumberOf } from '../src/modules/payment/payment.service';
import { parseStripeSignatureHeader, verifyStripeSignature } from '../src/modules/payment/stripe-signature';
import { errorCode, ROOT_PASSWORD, startHarness } from './harness';

const SECRET = 'whsec_unit_test_0123456789';
const PAYLOAD = Buffer.from('{"id":"evt_1","type":"checkout.session.completed"}');
const NOW = 1_800_000_000;

function header(timestamp: number, secret = SECRET, payload: Buffer = PAYLOAD): string {
  return `t=${timestamp},v1=${createHmac('sha256', secret).update(`${timestamp}.`).update(payload).digest('hex')}`;
}

describe('Stripe-Signature', () => {
  it('parses t and every v1, ignoring other schemes and junk', () => {
    expect(parseStripeSignatureHeader(`t=12,v1=${'a'.repeat(64)},v0=${'b'.repeat(64)},v1=${'C'.repeat(64)},v1=short,junk`))
      .toEqual({ timestamp: 12, signatures: ['a'.repeat(64), 'c'.repeat(64)] });
  });

  it.each<[string, string | undefined, number, string]>([
    ['a valid signature', header(NOW), NOW, 'ok'],
    ['a valid signature among others (secret rotation)', `${header(NOW)},v1=${'0'.repeat(64)}`, NOW + 299, 'ok'],
    ['no header', undefined, NOW, 'missing_header'],
    ['no timestamp', `v1=${'a'.repeat(64)}`, NOW, 'malformed_header'],
    ['no v1', `t=${NOW}`, NOW, 'malformed_header'],
    ['another secret', header(NOW, 'whsec_somebody_else_000000'), NOW, 'bad_signature'],
    ['another body', header(NOW, SECRET, Buffer.from('{"id":"evt_2"}')), NOW, 'bad_signature'],
    ['a timestamp changed after signing', header(NOW).replace(`t=${NOW}`, `t=${NOW + 1}`), NOW, 'bad_signature'],
    ['an old timestamp', header(NOW - 301), NOW, 'stale_timestamp'],
    ['a future timestamp', header(NOW + 301), NOW, 'stale_timestamp'],
  ])('%s -> %s', (_, signature, now, expected) => {
    const result = verifyStripeSignature({ payload: PAYLOAD, header: signature, secret: SECRET, toleranceSeconds: 300, nowSeconds: now });
    expect(result.ok ? 'ok' : result.reason).toBe(expected);
  });

  it('refuses to verify with an empty secret', () => {
    expect(() => verifyStripeSignature({ payload: PAYLOAD, header: header(NOW, ''), secret: '', toleranceSeconds: 300, nowSeconds: NOW })).toThrow();
  });
});

describe('Epay MD5 signature', () => {
  const parameters = { pid: '1001', type: 'alipay', out_trade_no: 'abc', name: 'credits', money: '1.00', trade_status: 'TRADE_SUCCESS', param: '', sign_type: 'MD5' };

  it('signs the sorted non-empty parameters (without sign and sign_type) with the key appended', () => {
    expect(epaySigningString({ ...parameters, sign: 'x' })).toBe('money=1.00&name=credits&out_trade_no=abc&pid=1001&trade_status=TRADE_SUCCESS&type=alipay');
    expect(signEpay(parameters, 'KEY')).toBe(createHash('md5').update('money=1.00&name=credits&out_trade_no=abc&pid=1001&trade_status=TRADE_SUCCESS&type=alipayKEY').digest('hex'));
  });

  it.each<[string, Record<string, string>, boolean]>([
    ['a valid sign', { ...parameters, sign: signEpay(parameters, 'KEY') }, true],
    ['an upper-case sign', { ...parameters, sign: signEpay(parameters, 'KEY').toUpperCase() }, true],
    ['another key', { ...parameters, sign: signEpay(parameters, 'OTHER') }, false],
    ['an edited amount', { ...parameters, money: '100.00', sign: signEpay(parameters, 'KEY') }, false],
    ['no sign', { ...parameters }, false],
    ['a non-MD5 sign_type', { ...parameters, sign_type: 'RSA', sign: signEpay(parameters, 'KEY') }, false],
  ])('%s -> %p', (_, signed, expected) => {
    expect(verifyEpaySignature(signed, 'KEY')).toBe(expected);
  });

  it.each<[number, string]>([[1, '0.01'], [100, '1.00'], [1234, '12.34'], [100000, '1000.00']])('formats %p fen as %p', (fen, money) => {
    expect(formatMinorUnits(fen)).toBe(money);
    expect(parseMinorUnits(money)).toBe(fen);
  });

  it.each<[string, number | null]>([['12.3', 1230], ['12', 1200], [' 0.05 ', 5], ['1e3', null], ['-1.00', null], ['1.001', null], ['', null], ['0x10', null]])('parses %p as %p', (money, fen) => {
    expect(parseMinorUnits(money)).toBe(fen);
  });

  it('round-trips order ids through out_trade_no', () => {
    const id = '0f8fad5b-d9cb-469f-a165-70867728950e';
    expect(epayTradeNumberOf(id)).toBe('0f8fad5bd9cb469fa16570867728950e');
    expect(orderIdOfEpayTradeNumber(epayTradeNumberOf(id))).toBe(id);
    expect(orderIdOfEpayTradeNumber('not-an-order')).toBeNull();
  });
});

describe('payment settings', () => {
  const base = { CRYPTO_SECRET: '0123456789abcdef' };
  const stripe = { STRIPE_SECRET_KEY: 'sk_live_0123456789abcdef', STRIPE_WEBHOOK_SECRET: 'whsec_0123456789abcdef', PAYMENT_PUBLIC_URL: 'https://gate.example.com/' };
  const epay = { EPAY_API_BASE: 'https://pay.example.com', EPAY_PID: '1001', EPAY_KEY: 'epay-key-0123456789abcdef', PAYMENT_PUBLIC_URL: 'https://gate.example.com' };

  it('leaves every provider off by default', () => {
    expect(loadControlPlaneConfig(base).payments).toEqual({ publicUrl: null, stripe: null, epay: null });
  });

  it('enables a provider only with all of its settings', () => {
    const config = readPaymentConfig({ ...stripe, ...epay, EPAY_CREDITS_PER_CNY: '140000' });
    expect(config.publicUrl).toBe('https://gate.example.com');
    expect(config.stripe).toEqual({ secretKey: stripe.STRIPE_SECRET_KEY, webhookSecret: stripe.STRIPE_WEBHOOK_SECRET, apiBase: 'https://api.stripe.com', toleranceSeconds: 300 });
    expect(config.epay).toEqual({ apiBase: 'https://pay.example.com', pid: '1001', key: epay.EPAY_KEY, creditsPerCny: 140_000 });
  });

  it.each<[Record<string, string>, string]>([
    [{ STRIPE_SECRET_KEY: stripe.STRIPE_SECRET_KEY, PAYMENT_PUBLIC_URL: stripe.PAYMENT_PUBLIC_URL }, 'STRIPE_WEBHOOK_SECRET'],
    [{ STRIPE_WEBHOOK_SECRET: stripe.STRIPE_WEBHOOK_SECRET, PAYMENT_PUBLIC_URL: stripe.PAYMENT_PUBLIC_URL }, 'STRIPE_SECRET_KEY'],
    [{ ...stripe, STRIPE_WEBHOOK_SECRET: '   ' }, 'STRIPE_WEBHOOK_SECRET'],
    [{ ...stripe, STRIPE_WEBHOOK_SECRET: 'short' }, 'STRIPE_WEBHOOK_SECRET'],
    [{ ...stripe, STRIPE_API_BASE: 'ftp://stripe' }, 'STRIPE_API_BASE'],
    [{ STRIPE_SECRET_KEY: stripe.STRIPE_SECRET_KEY, STRIPE_WEBHOOK_SECRET: stripe.STRIPE_WEBHOOK_SECRET }, 'PAYMENT_PUBLIC_URL'],
    [{ ...epay, EPAY_KEY: '' }, 'EPAY_KEY'],
    [{ EPAY_API_BASE: epay.EPAY_API_BASE, EPAY_KEY: epay.EPAY_KEY, PAYMENT_PUBLIC_URL: epay.PAYMENT_PUBLIC_URL }, 'EPAY_PID'],
    [{ ...epay, EPAY_CREDITS_PER_CNY: '1.5' }, 'EPAY_CREDITS_PER_CNY'],
  ])('refuses to start with %o (names %s)', (env, variable) => {
    let thrown: unknown;
    try {
      loadControlPlaneConfig({ ...base, ...env });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ConfigError);
    expect((thrown as ConfigError).variable).toBe(variable);
  });

  it('serves no webhook and no checkout when payments are off', async () => {
    const harness = await startHarness();
    try {
      const session = await harness.login('root', ROOT_PASSWORD);
      const webhook = await fetch(`${harness.plane.url}/payments/stripe/webhook`, { method: 'POST', headers: { 'stripe-signature': header(NOW) }, body: PAYLOAD });
      expect(webhook.status).toBe(404);
      expect((await fetch(`${harness.plane.url}/payments/epay/notify?pid=1`)).status).toBe(404);
      const methods = await harness.graphql<{ topUpMethods: { stripe: boolean; epay: boolean } }>('{ topUpMethods { stripe epay } }', {}, session);
      expect(methods.data?.topUpMethods).toEqual({ stripe: false, epay: false });
      expect(errorCode(await harness.graphql('mutation { createStripeCheckout(input: {amountCents: 500}) { checkoutUrl } }', {}, session))).toBe('BAD_USER_INPUT');
      expect(errorCode(await harness.graphql('mutation { createEpayOrder(input: {amountFen: 500, method: "alipay"}) { payUrl } }', {}, session))).toBe('BAD_USER_INPUT');
    } finally {
      await harness.stop();
    }
  });
});
