// HTTP callbacks from payment providers, mounted before the JSON body parser: signatures cover the exact raw bytes.
//   POST /payments/stripe/webhook   Stripe event, Stripe-Signature header
//   GET|POST /payments/epay/notify  Epay notify (query string or form body), answered "success" / "fail"
import type { MikroORM } from '@mikro-orm/core';
import type { Context, Next } from 'koa';
import type { EpayParameters } from './epay-signature';
import type { PaymentService } from './payment.service';

const MAX_BODY_BYTES = 256 * 1024;

class BodyTooLargeError extends Error {}

async function readRawBody(ctx: Context): Promise<Buffer> {
  const encoding = ctx.get('content-encoding');
  if (encoding && encoding.toLowerCase() !== 'identity') ctx.throw(415, 'compressed bodies are not accepted');
  const declared = Number(ctx.get('content-length') || '0');
  if (declared > MAX_BODY_BYTES) ctx.throw(413, 'body too large');
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of ctx.req) {
      const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
      size += buffer.length;
      if (size > MAX_BODY_BYTES) throw new BodyTooLargeError();
      chunks.push(buffer);
    }
  } catch (error) {
    if (error instanceof BodyTooLargeError) ctx.throw(413, 'body too large');
    throw error;
  }
  return Buffer.concat(chunks);
}

function firstValues(search: URLSearchParams): EpayParameters {
  const parameters: EpayParameters = {};
  for (const [name, value] of search) if (!(name in parameters)) parameters[name] = value;
  return parameters;
}

export function createPaymentRoutes(orm: MikroORM, payments: PaymentService) {
  return async (ctx: Context, next: Next): Promise<void> => {
    if (ctx.path === '/payments/stripe/webhook') {
      if (!payments.stripeEnabled) return next();
      if (ctx.method !== 'POST') ctx.throw(405, 'method not allowed');
      const payload = await readRawBody(ctx);
      const answer = await payments.handleStripeWebhook(orm.em.fork(), payload, ctx.get('stripe-signature') || undefined, Math.floor(Date.now() / 1000));
      ctx.status = answer.status;
      ctx.body = answer.body;
      return;
    }
    if (ctx.path === '/payments/epay/notify') {
      if (!payments.epayEnabled) return next();
      if (ctx.method !== 'GET' && ctx.method !== 'POST') ctx.throw(405, 'method not allowed');
      const parameters = firstValues(new URLSearchParams(ctx.querystring));
      if (ctx.method === 'POST') {
        if (!ctx.is('application/x-www-form-urlencoded')) ctx.throw(415, 'expected a form body');
        Object.assign(parameters, firstValues(new URLSearchParams((await readRawBody(ctx)).toString('utf8'))));
      }
      ctx.type = 'text/plain';
      ctx.body = await payments.handleEpayNotify(orm.em.fork(), parameters);
      return;
    }
    return next();
  };
}
