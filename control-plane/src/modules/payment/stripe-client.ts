// The one Stripe API call we make: create a Checkout Session (form-encoded POST). Only the fields we read are parsed.
import { z } from 'zod';
import type { StripeSettings } from './payment-config';

const checkoutSessionSchema = z.object({ id: z.string().min(1).max(255), url: z.string().url().nullish() });

export interface CheckoutRequest {
  orderId: string;
  amountMinor: number;
  currency: string;
  productName: string;
  successUrl: string;
  cancelUrl: string;
}

export class PaymentProviderError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PaymentProviderError';
  }
}

export function checkoutSessionForm(request: CheckoutRequest): URLSearchParams {
  return new URLSearchParams({
    mode: 'payment',
    'line_items[0][quantity]': '1',
    'line_items[0][price_data][currency]': request.currency,
    'line_items[0][price_data][unit_amount]': String(request.amountMinor),
    'line_items[0][price_data][product_data][name]': request.productName,
    client_reference_id: request.orderId,
    'metadata[order_id]': request.orderId,
    success_url: request.successUrl,
    cancel_url: request.cancelUrl,
  });
}

export async function createCheckoutSession(settings: StripeSettings, request: CheckoutRequest, fetchImplementation: typeof fetch = fetch): Promise<{ id: string; url: string }> {
  let response: Response;
  try {
    response = await fetchImplementation(`${settings.apiBase}/v1/checkout/sessions`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${settings.secretKey}`,
        'content-type': 'application/x-www-form-urlencoded',
        // A retried create returns the same session instead of a second one.
        'idempotency-key': `checkout-${request.orderId}`,
      },
      body: checkoutSessionForm(request).toString(),
      redirect: 'manual',
      signal: AbortSignal.timeout(15_000),
    });
  } catch (error) {
    throw new PaymentProviderError(`Stripe could not be reached (${error instanceof Error ? error.name : 'error'})`);
  }
  const text = await response.text();
  if (!response.ok) throw new PaymentProviderError(`Stripe refused the checkout session (HTTP ${response.status})`);
  let parsed: z.infer<typeof checkoutSessionSchema>;
  try {
    parsed = checkoutSessionSchema.parse(JSON.parse(text));
  } catch {
    throw new PaymentProviderError('Stripe answered with an unexpected checkout session');
  }
  if (!parsed.url) throw new PaymentProviderError('Stripe answered without a checkout URL');
  return { id: parsed.id, url: parsed.url };
}
