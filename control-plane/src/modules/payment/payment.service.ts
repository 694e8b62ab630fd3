// Top-up: creates provider orders (Stripe Checkout, Epay), and turns a verified provider callback into exactly one
// ledger credit: the order flips pending -> paid once (guarded update), the ledger key is per order, the event id is
// recorded once; the Redis wallet follows after commit.
import type { EntityManager } from '@mikro-orm/core';
import { z } from 'zod';
import { assertThat } from '../../graphql/errors';
import { paginate, type Connection } from '../../graphql/pagination';
import type { RedisPublisher } from '../../snapshot/redis-publisher';
import { visibleOwnerId, type Actor } from '../actor';
import { recordAudit } from '../audit/audit.service';
import { LedgerEntry } from '../ledger/ledger-entry.entity';
import { isUniqueViolation, postLedgerEntry } from '../ledger/ledger.service';
import { formatMinorUnits, parseMinorUnits, signEpay, verifyEpaySignature, type EpayParameters } from './epay-signature';
import type { PaymentConfig } from './payment-config';
import { PaymentEvent } from './payment-event.entity';
import { PaymentOrder, type PaymentProvider } from './payment-order.entity';
import { createCheckoutSession } from './stripe-client';
import { verifyStripeSignature } from './stripe-signature';

/** 1 US cent = 0.01 USD = 10,000 credits (1 credit = 1e-6 USD). */
export const CREDITS_PER_USD_CENT = 10_000;
export const MIN_TOPUP_MINOR = 100;
export const MAX_TOPUP_MINOR = 10_000_000;
const PRODUCT_NAME = 'NebulaGate credits';
const STRIPE_PAID_EVENTS = new Set(['checkout.session.completed', 'checkout.session.async_payment_succeeded']);

const stripeEventSchema = z.object({
  id: z.string().min(1).max(255),
  type: z.string().min(1).max(128),
  data: z.object({
    object: z.object({
      id: z.string().max(255).nullish(),
      client_reference_id: z.string().max(255).nullish(),
      metadata: z.record(z.string(), z.string()).nullish(),
      amount_total: z.number().int().nullish(),
      currency: z.string().max(8).nullish(),
      payment_status: z.string().max(32).nullish(),
    }),
  }),
});

export interface WebhookAnswer {
  status: number;
  body: Record<string, unknown>;
}

export type CreditOutcome = 'credited' | 'already_paid' | 'duplicate_event';

/** Epay merchants often allow only letters and digits in out_trade_no: the order UUID without dashes. */
export function epayTradeNumberOf(orderId: string): string {
  return orderId.replace(/-/g, '');
}

export function orderIdOfEpayTradeNumber(tradeNumber: string): string | null {
  const match = /^([0-9a-f]{8})([0-9a-f]{4})([0-9a-f]{4})([0-9a-f]{4})([0-9a-f]{12})$/.exec(tradeNumber);
  return match ? match.slice(1).join('-') : null;
}

function readAmount(amountMinor: number, unit: string): void {
  assertThat(Number.isInteger(amountMinor) && amountMinor >= MIN_TOPUP_MINOR && amountMinor <= MAX_TOPUP_MINOR, 'BAD_USER_INPUT', `${unit} must be an integer from ${MIN_TOPUP_MINOR} to ${MAX_TOPUP_MINOR}`);
}

export class PaymentService {
  constructor(
    private readonly publisher: RedisPublisher,
    private readonly config: PaymentConfig,
    private readonly fetchImplementation: typeof fetch = fetch,
  ) {}

  get stripeEnabled(): boolean {
    return this.config.stripe !== null;
  }

  get epayEnabled(): boolean {
    return this.config.epay !== null;
  }

  listOrders(em: EntityManager, actor: Actor, first: number, after: string | null | undefined, userId: string | null | undefined): Promise<Connection<PaymentOrder>> {
    const ownerId = visibleOwnerId(actor, userId, 'payment orders');
    return paginate(em, PaymentOrder, ownerId ? { userId: ownerId } : {}, first, after);
  }

  async createStripeCheckout(em: EntityManager, actor: Actor, amountCents: number): Promise<{ order: PaymentOrder; checkoutUrl: string }> {
    assertThat(actor.user, 'UNAUTHENTICATED', 'sign in first');
    const stripe = this.config.stripe;
    assertThat(stripe && this.config.publicUrl, 'BAD_USER_INPUT', 'Stripe top-up is not enabled');
    readAmount(amountCents, 'amountCents');
    const order = em.create(PaymentOrder, { provider: 'stripe', userId: actor.user.id, currency: 'usd', amountMinor: amountCents, credits: amountCents * CREDITS_PER_USD_CENT, createdAt: new Date() });
    await em.flush();
    let session: { id: string; url: string };
    try {
      session = await createCheckoutSession(stripe, {
        orderId: order.id, amountMinor: amountCents, currency: 'usd', productName: PRODUCT_NAME,
        successUrl: `${this.config.publicUrl}/?topup=${order.id}`, cancelUrl: `${this.config.publicUrl}/?topup=cancelled`,
      }, this.fetchImplementation);
    } catch (error) {
      order.status = 'failed';
      await em.flush();
      throw error;
    }
    order.externalId = session.id;
    recordAudit(em, { actorId: actor.user.id, action: 'topup.checkout', target: order.id, after: { provider: 'stripe', amountMinor: amountCents, currency: 'usd', credits: order.credits }, ip: actor.ip });
    await em.flush();
    return { order, checkoutUrl: session.url };
  }

  async createEpayOrder(em: EntityManager, actor: Actor, amountFen: number, method: string): Promise<{ order: PaymentOrder; payUrl: string }> {
    assertThat(actor.user, 'UNAUTHENTICATED', 'sign in first');
    const epay = this.config.epay;
    assertThat(epay && this.config.publicUrl, 'BAD_USER_INPUT', 'Epay top-up is not enabled');
    readAmount(amountFen, 'amountFen');
    assertThat(/^[a-z0-9_]{2,32}$/.test(method), 'BAD_USER_INPUT', 'method must be an Epay payment type such as alipay or wxpay');
    const credits = Math.floor((amountFen * epay.creditsPerCny) / 100);
    const order = em.create(PaymentOrder, { provider: 'epay', userId: actor.user.id, currency: 'cny', amountMinor: amountFen, credits, method, createdAt: new Date() });
    recordAudit(em, { actorId: actor.user.id, action: 'topup.order', target: order.id, after: { provider: 'epay', amountMinor: amountFen, currency: 'cny', credits, method }, ip: actor.ip });
    await em.flush();
    const parameters: EpayParameters = {
      pid: epay.pid,
      type: method,
      out_trade_no: epayTradeNumberOf(order.id),
      notify_url: `${this.config.publicUrl}/payments/epay/notify`,
      return_url: `${this.config.publicUrl}/?topup=${order.id}`,
      name: PRODUCT_NAME,
      money: formatMinorUnits(amountFen),
    };
    const query = new URLSearchParams({ ...parameters, sign: signEpay(parameters, epay.key), sign_type: 'MD5' });
    return { order, payUrl: `${epay.apiBase}/submit.php?${query.toString()}` };
  }

  /** Verifies the Stripe-Signature over the raw body, then credits a paid Checkout Session's order once. */
  async handleStripeWebhook(em: EntityManager, payload: Buffer, signatureHeader: string | undefined, nowSeconds: number): Promise<WebhookAnswer> {
    const stripe = this.config.stripe;
    if (!stripe) return { status: 404, body: { error: 'not found' } };
    const check = verifyStripeSignature({ payload, header: signatureHeader, secret: stripe.webhookSecret, toleranceSeconds: stripe.toleranceSeconds, nowSeconds });
    if (!check.ok) return { status: 400, body: { error: 'invalid signature' } };
    let event: z.infer<typeof stripeEventSchema>;
    try {
      event = stripeEventSchema.parse(JSON.parse(payload.toString('utf8')));
    } catch {
      return { status: 400, body: { error: 'invalid event' } };
    }
    const session = event.data.object;
    if (!STRIPE_PAID_EVENTS.has(event.type) || session.payment_status !== 'paid') return { status: 200, body: { received: true, outcome: 'ignored' } };
    const orderId = session.metadata?.order_id ?? session.client_reference_id ?? null;
    const order = orderId ? await em.findOne(PaymentOrder, { id: orderId, provider: 'stripe' }) : null;
    if (!order) return { status: 400, body: { error: 'unknown order' } };
    const matches = session.id === order.externalId && session.amount_total === order.amountMinor && session.currency?.toLowerCase() === order.currency;
    if (!matches) {
      await this.recordRejection(em, order, 'stripe', { eventId: event.id, sessionId: session.id ?? null, amountTotal: session.amount_total ?? null, currency: session.currency ?? null });
      return { status: 400, body: { error: 'event does not match the order' } };
    }
    const outcome = await this.creditOrder(em, order, { provider: 'stripe', eventId: event.id, eventType: event.type, externalId: order.externalId });
    return { status: 200, body: { received: true, outcome } };
  }

  /** Epay's notify: signed parameters; answers "success" once handled (including repeats) so Epay stops retrying. */
  async handleEpayNotify(em: EntityManager, parameters: EpayParameters): Promise<'success' | 'fail'> {
    const epay = this.config.epay;
    if (!epay) return 'fail';
    if (parameters.pid !== epay.pid || !verifyEpaySignature(parameters, epay.key)) return 'fail';
    if (parameters.trade_status !== 'TRADE_SUCCESS') return 'success';
    const orderId = orderIdOfEpayTradeNumber(parameters.out_trade_no ?? '');
    const tradeNumber = parameters.trade_no ?? '';
    if (!orderId || tradeNumber.length === 0 || tradeNumber.length > 255) return 'fail';
    const order = await em.findOne(PaymentOrder, { id: orderId, provider: 'epay' });
    if (!order) return 'fail';
    if (parseMinorUnits(parameters.money ?? '') !== order.amountMinor) {
      await this.recordRejection(em, order, 'epay', { tradeNumber, money: parameters.money ?? null });
      return 'fail';
    }
    await this.creditOrder(em, order, { provider: 'epay', eventId: tradeNumber, eventType: 'notify', externalId: tradeNumber });
    return 'success';
  }

  private async recordRejection(em: EntityManager, order: PaymentOrder, provider: PaymentProvider, detail: Record<string, unknown>): Promise<void> {
    recordAudit(em, { actorId: null, action: 'topup.rejected', target: order.id, after: { provider, reason: 'amount, currency or session mismatch', ...detail }, ip: null });
    await em.flush();
  }

  private async creditOrder(em: EntityManager, order: PaymentOrder, event: { provider: PaymentProvider; eventId: string; eventType: string; externalId: string | null }): Promise<CreditOutcome> {
    let entry: LedgerEntry | null;
    try {
      entry = await em.transactional(async (transaction) => {
        // First: the event id. A replayed delivery stops on the unique (provider, event id) before anything moves.
        const record = transaction.create(PaymentEvent, { provider: event.provider, eventId: event.eventId, eventType: event.eventType, orderId: order.id, outcome: 'credited', createdAt: new Date() });
        await transaction.flush();
        // Then the order: pending -> paid exactly once, whichever event or session delivery gets here first.
        const flipped = await transaction.nativeUpdate(PaymentOrder, { id: order.id, status: 'pending' }, { status: 'paid', paidAt: new Date(), externalId: event.externalId });
        if (flipped === 0) {
          record.outcome = 'already_paid';
          await transaction.flush();
          return null;
        }
        const posted = await postLedgerEntry(transaction, {
          userId: order.userId, kind: 'topup', amount: order.credits,
          reason: `${event.provider} top-up ${formatMinorUnits(order.amountMinor)} ${order.currency.toUpperCase()}`,
          actorId: null, idempotencyKey: `topup:${order.id}`, allowNegative: false,
        });
        await transaction.nativeUpdate(PaymentOrder, { id: order.id }, { ledgerEntryId: posted.id });
        recordAudit(transaction, {
          actorId: null, action: 'topup.credit', target: order.id,
          after: { userId: order.userId, provider: event.provider, eventId: event.eventId, amountMinor: order.amountMinor, currency: order.currency, credits: order.credits, ledgerEntryId: posted.id },
          ip: null,
        });
        await transaction.flush();
        return posted;
      });
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      await this.recreditPaidOrder(em, order.id);
      return 'duplicate_event';
    }
    if (!entry) {
      await this.recreditPaidOrder(em, order.id);
      return 'already_paid';
    }
    await this.publisher.creditWalletOnce(entry);
    return 'credited';
  }

  /**
   * A repeated delivery of a paid order: if the first one committed in SQL but failed before Redis was credited (the
   * provider then retries), the wallet gets the credit now. Exactly once: the credit is keyed by the ledger entry.
   */
  private async recreditPaidOrder(em: EntityManager, orderId: string): Promise<void> {
    const fresh = em.fork();
    const order = await fresh.findOne(PaymentOrder, { id: orderId });
    if (!order?.ledgerEntryId) return;
    const entry = await fresh.findOne(LedgerEntry, { id: order.ledgerEntryId });
    if (entry) await this.publisher.creditWalletOnce(entry);
  }
}
