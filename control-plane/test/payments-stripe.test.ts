// Stripe top-up end to end: Checkout Session creation against a local fake of api.stripe.com (the only fake), and the
// webhook with events signed locally. A valid event credits once; replays, forgeries, stale or mismatched events
// credit nothing more, also when deliveries race.
import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AuditLog, LedgerEntry, openDatabase } from '../src';
import { errorCode, ROOT_PASSWORD, startHarness, type Harness } from './harness';
import { balanceOf, createUsers, verifyLedger, walletOf, type TestUser } from './money-helpers';

const SECRET_KEY = 'sk_test_nebulagate_0123456789abcdef';
const WEBHOOK_SECRET = 'whsec_test_nebulagate_0123456789';

interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
}

let harness: Harness;
let rootSession: string;
let payer: TestUser;
let stripeServer: Server;
let stripeStatus = 200;
const stripeRequests: RecordedRequest[] = [];

const CHECKOUT = `mutation ($cents: Int!) {
  createStripeCheckout(input: {amountCents: $cents}) { checkoutUrl order { id provider status currency amountMinor credits userId } }
}`;

function startFakeStripe(): Promise<string> {
  stripeServer = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      stripeRequests.push({ method: request.method ?? '', path: request.url ?? '', headers: request.headers, body: Buffer.concat(chunks).toString('utf8') });
      const sessionId = `cs_test_${stripeRequests.length}`;
      response.writeHead(stripeStatus, { 'content-type': 'application/json' });
      response.end(stripeStatus === 200
        ? JSON.stringify({ id: sessionId, object: 'checkout.session', url: `https://checkout.stripe.com/c/pay/${sessionId}` })
        : JSON.stringify({ error: { message: 'boom' } }));
    });
  });
  return new Promise((resolve) => stripeServer.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(stripeServer.address() as AddressInfo).port}`)));
}

function sign(payload: string, secret: string, timestamp: number): string {
  const signature = createHmac('sha256', secret).update(`${timestamp}.${payload}`).digest('hex');
  return `t=${timestamp},v1=${signature}`;
}

function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

function sessionEvent(eventId: string, order: { id: string; amountMinor: number }, sessionId: string, overrides: Record<string, unknown> = {}, type = 'checkout.session.completed'): string {
  return JSON.stringify({
    id: eventId,
    object: 'event',
    type,
    data: { object: { id: sessionId, object: 'checkout.session', client_reference_id: order.id, metadata: { order_id: order.id }, amount_total: order.amountMinor, currency: 'usd', payment_status: 'paid', ...overrides } },
  });
}

async function deliver(payload: string, signatureHeader: string | null): Promise<{ status: number; body: Record<string, unknown> }> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (signatureHeader !== null) headers['stripe-signature'] = signatureHeader;
  const response = await fetch(`${harness.plane.url}/payments/stripe/webhook`, { method: 'POST', headers, body: payload });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

interface Checkout {
  order: { id: string; amountMinor: number; credits: number; status: string };
  sessionId: string;
}

async function checkout(cents: number): Promise<Checkout> {
  const result = await harness.graphql<{ createStripeCheckout: { checkoutUrl: string; order: Checkout['order'] } }>(CHECKOUT, { cents }, payer.session);
  if (!result.data) throw new Error(`checkout failed: ${JSON.stringify(result.errors)}`);
  const sessionId = result.data.createStripeCheckout.checkoutUrl.split('/').pop() ?? '';
  return { order: result.data.createStripeCheckout.order, sessionId };
}

async function orderStatus(orderId: string): Promise<string | undefined> {
  const result = await harness.graphql<{ paymentOrders: { edges: Array<{ node: { id: string; status: string } }> } }>('{ paymentOrders(first: 100) { edges { node { id status } } } }', {}, payer.session);
  return result.data?.paymentOrders.edges.find((edge) => edge.node.id === orderId)?.node.status;
}

beforeAll(async () => {
  const apiBase = await startFakeStripe();
  harness = await startHarness({
    payments: { publicUrl: 'https://gate.example.com', stripe: { secretKey: SECRET_KEY, webhookSecret: WEBHOOK_SECRET, apiBase, toleranceSeconds: 300 }, epay: null },
  });
  rootSession = await harness.login('root', ROOT_PASSWORD);
  [payer] = (await createUsers(harness, rootSession, 'stripe-payer-', 1)) as [TestUser];
});

afterAll(async () => {
  await harness.stop();
  await new Promise((resolve) => stripeServer.close(resolve));
});

describe('checkout', () => {
  it('reports Stripe as enabled and creates a Checkout Session through the Stripe API', async () => {
    const methods = await harness.graphql<{ topUpMethods: { stripe: boolean; epay: boolean } }>('{ topUpMethods { stripe epay } }', {}, payer.session);
    expect(methods.data?.topUpMethods).toEqual({ stripe: true, epay: false });
    const created = await checkout(500);
    expect(created.order).toMatchObject({ status: 'pending', amountMinor: 500, credits: 5_000_000 });
    const request = stripeRequests.at(-1);
    expect(request).toMatchObject({ method: 'POST', path: '/v1/checkout/sessions' });
    expect(request?.headers.authorization).toBe(`Bearer ${SECRET_KEY}`);
    expect(request?.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(request?.headers['idempotency-key']).toBe(`checkout-${created.order.id}`);
    const form = new URLSearchParams(request?.body);
    expect(Object.fromEntries(form)).toMatchObject({
      mode: 'payment',
      'line_items[0][price_data][currency]': 'usd',
      'line_items[0][price_data][unit_amount]': '500',
      'line_items[0][quantity]': '1',
      client_reference_id: created.order.id,
      'metadata[order_id]': created.order.id,
      success_url: `https://gate.example.com/?topup=${created.order.id}`,
    });
  });

  it.each([[99], [10_000_001], [0]])('refuses an amount of %p cents', async (cents) => {
    expect(errorCode(await harness.graphql(CHECKOUT, { cents }, payer.session))).toBe('BAD_USER_INPUT');
  });

  it('marks the order failed and leaks nothing when Stripe refuses', async () => {
    stripeStatus = 500;
    try {
      const result = await harness.graphql(CHECKOUT, { cents: 700 }, payer.session);
      expect(errorCode(result)).toBe('INTERNAL_SERVER_ERROR');
      expect(JSON.stringify(result)).not.toContain(SECRET_KEY);
      const orders = await harness.graphql<{ paymentOrders: { edges: Array<{ node: { status: string; amountMinor: number } }> } }>('{ paymentOrders(first: 1) { edges { node { status amountMinor } } } }', {}, payer.session);
      expect(orders.data?.paymentOrders.edges[0]?.node).toEqual({ status: 'failed', amountMinor: 700 });
    } finally {
      stripeStatus = 200;
    }
  });
});

describe('webhook', () => {
  it('credits a validly signed paid session once, through the ledger, and moves the Redis wallet', async () => {
    const { order, sessionId } = await checkout(1_250);
    const walletBefore = await walletOf(harness, payer.id);
    const payload = sessionEvent('evt_valid_1', order, sessionId);
    const answer = await deliver(payload, sign(payload, WEBHOOK_SECRET, nowSeconds()));
    expect(answer).toEqual({ status: 200, body: { received: true, outcome: 'credited' } });
    expect(await walletOf(harness, payer.id)).toBe(walletBefore + 12_500_000);
    expect(await orderStatus(order.id)).toBe('paid');

    // The same event again (Stripe retries), freshly signed: nothing more.
    const replay = await deliver(payload, sign(payload, WEBHOOK_SECRET, nowSeconds()));
    expect(replay).toEqual({ status: 200, body: { received: true, outcome: 'duplicate_event' } });
    // Another event for the same session (async success after completed): nothing more.
    const second = sessionEvent('evt_valid_2', order, sessionId, {}, 'checkout.session.async_payment_succeeded');
    expect(await deliver(second, sign(second, WEBHOOK_SECRET, nowSeconds()))).toEqual({ status: 200, body: { received: true, outcome: 'already_paid' } });
    expect(await walletOf(harness, payer.id)).toBe(walletBefore + 12_500_000);

    const database = await openDatabase(harness.config.databaseUrl, { migrate: false });
    try {
      const entries = await database.orm.em.fork().find(LedgerEntry, { idempotencyKey: `topup:${order.id}` });
      expect(entries).toHaveLength(1);
      expect(entries[0]).toMatchObject({ kind: 'topup', amount: 12_500_000, userId: payer.id });
      expect(await database.orm.em.fork().count(AuditLog, { action: 'topup.credit', target: order.id })).toBe(1);
    } finally {
      await database.close();
    }
  });

  it('credits nothing for a forged signature, a missing header, a stale timestamp or a mismatched amount', async () => {
    const { order, sessionId } = await checkout(2_000);
    const walletBefore = await walletOf(harness, payer.id);
    const payload = sessionEvent('evt_attack_1', order, sessionId);
    expect((await deliver(payload, sign(payload, 'whsec_attacker_guess_0000000000', nowSeconds()))).status).toBe(400);
    expect((await deliver(payload, null)).status).toBe(400);
    expect((await deliver(payload, `t=${nowSeconds()}`)).status).toBe(400);
    expect((await deliver(payload, sign(payload, WEBHOOK_SECRET, nowSeconds() - 3_600))).status).toBe(400);
    // Signed body, then altered: the signature no longer covers it.
    const tampered = payload.replace('"amount_total":2000', '"amount_total":200000');
    expect((await deliver(tampered, sign(payload, WEBHOOK_SECRET, nowSeconds()))).status).toBe(400);
    // Correctly signed but for another amount, currency or session than the order: refused and audited.
    for (const overrides of [{ amount_total: 2_001 }, { currency: 'eur' }, { id: 'cs_test_other' }]) {
      const mismatched = sessionEvent(`evt_mismatch_${JSON.stringify(overrides)}`, order, sessionId, overrides);
      const answer = await deliver(mismatched, sign(mismatched, WEBHOOK_SECRET, nowSeconds()));
      expect(answer).toEqual({ status: 400, body: { error: 'event does not match the order' } });
    }
    // Unpaid sessions are acknowledged without credit.
    const unpaid = sessionEvent('evt_unpaid', order, sessionId, { payment_status: 'unpaid' });
    expect(await deliver(unpaid, sign(unpaid, WEBHOOK_SECRET, nowSeconds()))).toEqual({ status: 200, body: { received: true, outcome: 'ignored' } });
    expect(await walletOf(harness, payer.id)).toBe(walletBefore);
    expect(await orderStatus(order.id)).toBe('pending');
    const database = await openDatabase(harness.config.databaseUrl, { migrate: false });
    try {
      expect(await database.orm.em.fork().count(AuditLog, { action: 'topup.rejected', target: order.id })).toBe(3);
    } finally {
      await database.close();
    }
  });

  it('credits once when 20 deliveries of one event race, and once when 20 distinct events for one session race', async () => {
    const first = await checkout(300);
    const second = await checkout(400);
    const walletBefore = await walletOf(harness, payer.id);
    const payload = sessionEvent('evt_race_same', first.order, first.sessionId);
    const same = await Promise.all(Array.from({ length: 20 }, () => deliver(payload, sign(payload, WEBHOOK_SECRET, nowSeconds()))));
    expect(same.filter((answer) => answer.body.outcome === 'credited')).toHaveLength(1);
    expect(same.every((answer) => answer.status === 200)).toBe(true);
    const distinct = await Promise.all(Array.from({ length: 20 }, (_, index) => {
      const body = sessionEvent(`evt_race_${index}`, second.order, second.sessionId);
      return deliver(body, sign(body, WEBHOOK_SECRET, nowSeconds()));
    }));
    expect(distinct.filter((answer) => answer.body.outcome === 'credited')).toHaveLength(1);
    expect(await walletOf(harness, payer.id)).toBe(walletBefore + 3_000_000 + 4_000_000);
  });

  it('keeps balance == ledger sum == Redis wallet, with an intact chain', async () => {
    const verification = await verifyLedger(harness, rootSession);
    expect(verification).toMatchObject({ ok: true, problem: null, balanceMismatches: [], checkedEntries: 3 });
    expect(await walletOf(harness, payer.id)).toBe(await balanceOf(harness, rootSession, payer.id));
    expect(await balanceOf(harness, rootSession, payer.id)).toBe(12_500_000 + 3_000_000 + 4_000_000);
  });
});
