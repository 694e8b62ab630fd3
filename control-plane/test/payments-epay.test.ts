// Epay (易支付) top-up end to end: the signed submit URL, and the notify callback signed locally (sorted params +
// key, MD5). A valid notify credits once per out_trade_no and answers "success"; forged, mismatched or replayed
// notifies credit nothing more, also when they race.
import { createHash } from 'node:crypto';
import { AuditLog, LedgerEntry, openDatabase } from '../src';
import { errorCode, ROOT_PASSWORD, startHarness, type Harness } from './harness';
import { balanceOf, createUsers, verifyLedger, walletOf, type TestUser } from './money-helpers';

const EPAY_KEY = 'epay-merchant-key-0123456789abcdef';
const EPAY_PID = '1001';
const CREDITS_PER_CNY = 140_000;

let harness: Harness;
let rootSession: string;
let payer: TestUser;

const ORDER = `mutation ($fen: Int!, $method: String!) {
  createEpayOrder(input: {amountFen: $fen, method: $method}) { payUrl order { id provider status currency amountMinor credits method } }
}`;

/** Written out here rather than imported, so the test checks the scheme and not just our own function. */
function md5Sign(parameters: Record<string, string>, key: string): string {
  const text = Object.keys(parameters)
    .filter((name) => name !== 'sign' && name !== 'sign_type' && parameters[name] !== '')
    .sort()
    .map((name) => `${name}=${parameters[name]}`)
    .join('&');
  return createHash('md5').update(text + key).digest('hex');
}

function notifyParameters(outTradeNo: string, money: string, overrides: Record<string, string> = {}, key = EPAY_KEY): Record<string, string> {
  const parameters: Record<string, string> = {
    pid: EPAY_PID, trade_no: `2026112316${outTradeNo.slice(0, 8)}`, out_trade_no: outTradeNo, type: 'alipay', name: 'NebulaGate credits', money, trade_status: 'TRADE_SUCCESS', ...overrides,
  };
  return { ...parameters, sign: md5Sign(parameters, key), sign_type: 'MD5' };
}

async function notifyByGet(parameters: Record<string, string>): Promise<string> {
  const response = await fetch(`${harness.plane.url}/payments/epay/notify?${new URLSearchParams(parameters).toString()}`);
  return response.text();
}

async function notifyByPost(parameters: Record<string, string>): Promise<string> {
  const response = await fetch(`${harness.plane.url}/payments/epay/notify`, {
    method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(parameters).toString(),
  });
  return response.text();
}

interface EpayOrder {
  payUrl: string;
  order: { id: string; amountMinor: number; credits: number; status: string };
}

async function createOrder(fen: number): Promise<EpayOrder & { outTradeNo: string }> {
  const result = await harness.graphql<{ createEpayOrder: EpayOrder }>(ORDER, { fen, method: 'alipay' }, payer.session);
  if (!result.data) throw new Error(`createEpayOrder failed: ${JSON.stringify(result.errors)}`);
  const outTradeNo = new URL(result.data.createEpayOrder.payUrl).searchParams.get('out_trade_no') ?? '';
  return { ...result.data.createEpayOrder, outTradeNo };
}

beforeAll(async () => {
  harness = await startHarness({
    payments: { publicUrl: 'https://gate.example.com', stripe: null, epay: { apiBase: 'https://pay.example.com', pid: EPAY_PID, key: EPAY_KEY, creditsPerCny: CREDITS_PER_CNY } },
  });
  rootSession = await harness.login('root', ROOT_PASSWORD);
  [payer] = (await createUsers(harness, rootSession, 'epay-payer-', 1)) as [TestUser];
});

afterAll(async () => {
  await harness.stop();
});

describe('Epay', () => {
  it('builds a signed submit URL for the order', async () => {
    const created = await createOrder(1_234);
    expect(created.order).toMatchObject({ status: 'pending', amountMinor: 1_234, credits: 1_727_600 });
    const url = new URL(created.payUrl);
    expect(`${url.origin}${url.pathname}`).toBe('https://pay.example.com/submit.php');
    const parameters = Object.fromEntries(url.searchParams);
    expect(parameters).toMatchObject({
      pid: EPAY_PID, type: 'alipay', money: '12.34', out_trade_no: created.order.id.replace(/-/g, ''),
      notify_url: 'https://gate.example.com/payments/epay/notify', sign_type: 'MD5',
    });
    expect(parameters.sign).toBe(md5Sign(parameters, EPAY_KEY));
    expect(errorCode(await harness.graphql(ORDER, { fen: 50, method: 'alipay' }, payer.session))).toBe('BAD_USER_INPUT');
    expect(errorCode(await harness.graphql(ORDER, { fen: 500, method: 'al ipay' }, payer.session))).toBe('BAD_USER_INPUT');
    expect(errorCode(await harness.graphql('mutation { createStripeCheckout(input: {amountCents: 500}) { checkoutUrl } }', {}, payer.session))).toBe('BAD_USER_INPUT');
  });

  it('credits a valid notify once per out_trade_no and answers success to every repeat', async () => {
    const created = await createOrder(1_000);
    const walletBefore = await walletOf(harness, payer.id);
    const parameters = notifyParameters(created.outTradeNo, '10.00');
    expect(await notifyByGet(parameters)).toBe('success');
    expect(await walletOf(harness, payer.id)).toBe(walletBefore + 1_400_000);
    expect(await notifyByGet(parameters)).toBe('success');
    expect(await notifyByPost(parameters)).toBe('success');
    // A second trade number for the same order (e.g. a re-sent payment) still credits the order only once.
    expect(await notifyByGet(notifyParameters(created.outTradeNo, '10.00', { trade_no: 'another-trade-number' }))).toBe('success');
    expect(await walletOf(harness, payer.id)).toBe(walletBefore + 1_400_000);
    const database = await openDatabase(harness.config.databaseUrl, { migrate: false });
    try {
      expect(await database.orm.em.fork().count(LedgerEntry, { idempotencyKey: `topup:${created.order.id}` })).toBe(1);
      expect(await database.orm.em.fork().count(AuditLog, { action: 'topup.credit', target: created.order.id })).toBe(1);
    } finally {
      await database.close();
    }
  });

  it('answers fail and credits nothing for a forged sign, a wrong merchant, a changed amount or an unknown order', async () => {
    const created = await createOrder(2_000);
    const walletBefore = await walletOf(harness, payer.id);
    const forged = notifyParameters(created.outTradeNo, '20.00', {}, 'attacker-guessed-key-000000000000');
    expect(await notifyByGet(forged)).toBe('fail');
    const unsigned: Record<string, string> = { ...notifyParameters(created.outTradeNo, '20.00') };
    delete unsigned.sign;
    expect(await notifyByGet(unsigned)).toBe('fail');
    // Signed, then the amount edited.
    const edited = { ...notifyParameters(created.outTradeNo, '20.00'), money: '2000.00' };
    expect(await notifyByPost(edited)).toBe('fail');
    expect(await notifyByGet(notifyParameters(created.outTradeNo, '20.00', { pid: '9999' }))).toBe('fail');
    // Correctly signed but for less money than the order: refused and audited.
    expect(await notifyByGet(notifyParameters(created.outTradeNo, '0.02'))).toBe('fail');
    expect(await notifyByGet(notifyParameters('ffffffffffffffffffffffffffffffff', '20.00'))).toBe('fail');
    // Not paid yet: acknowledged, nothing booked.
    expect(await notifyByGet(notifyParameters(created.outTradeNo, '20.00', { trade_status: 'WAIT_BUYER_PAY' }))).toBe('success');
    expect(await walletOf(harness, payer.id)).toBe(walletBefore);
    const database = await openDatabase(harness.config.databaseUrl, { migrate: false });
    try {
      expect(await database.orm.em.fork().count(AuditLog, { action: 'topup.rejected', target: created.order.id })).toBe(1);
    } finally {
      await database.close();
    }
  });

  it('credits once when 30 valid notifies for one order race', async () => {
    const created = await createOrder(500);
    const walletBefore = await walletOf(harness, payer.id);
    const answers = await Promise.all(Array.from({ length: 30 }, (_, index) => {
      const parameters = notifyParameters(created.outTradeNo, '5.00', { trade_no: `race-${index % 3}` });
      return index % 2 === 0 ? notifyByGet(parameters) : notifyByPost(parameters);
    }));
    expect(answers.every((answer) => answer === 'success')).toBe(true);
    expect(await walletOf(harness, payer.id)).toBe(walletBefore + 700_000);
  });

  it('keeps balance == ledger sum == Redis wallet, with an intact chain', async () => {
    const verification = await verifyLedger(harness, rootSession);
    expect(verification).toMatchObject({ ok: true, problem: null, balanceMismatches: [], checkedEntries: 2 });
    expect(await walletOf(harness, payer.id)).toBe(await balanceOf(harness, rootSession, payer.id));
  });
});
