// Top-up settings from the environment. A provider is enabled only with all of its secrets; half a configuration
// (e.g. a Stripe key without its webhook secret) stops start-up rather than running with a check switched off.
import { ConfigError } from '@nebulagate/schema';

export interface StripeSettings {
  secretKey: string;
  webhookSecret: string;
  /** https://api.stripe.com unless pointed elsewhere (tests use a local fake). */
  apiBase: string;
  /** Webhook timestamps older or newer than this are refused (replay window). */
  toleranceSeconds: number;
}

export interface EpaySettings {
  /** The Epay site, e.g. https://pay.example.com (submit.php lives under it). */
  apiBase: string;
  pid: string;
  key: string;
  /** Credits per 1 CNY paid (integer; 1 credit = 1e-6 USD). */
  creditsPerCny: number;
}

export interface PaymentConfig {
  /** Where users land after paying and where Epay sends its notify callback: the control plane's public URL. */
  publicUrl: string | null;
  stripe: StripeSettings | null;
  epay: EpaySettings | null;
}

export const PAYMENTS_DISABLED: PaymentConfig = { publicUrl: null, stripe: null, epay: null };

const MIN_SECRET_LENGTH = 16;

function read(env: NodeJS.ProcessEnv, variable: string): string | null {
  const value = env[variable]?.trim();
  return value ? value : null;
}

function readHttpUrl(env: NodeJS.ProcessEnv, variable: string, fallback: string | null): string | null {
  const value = read(env, variable) ?? fallback;
  if (value === null) return null;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(variable, 'must be an http(s) URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new ConfigError(variable, 'must be an http(s) URL');
  return value.replace(/\/+$/, '');
}

function readSecret(env: NodeJS.ProcessEnv, variable: string): string {
  const value = read(env, variable);
  if (value === null) throw new ConfigError(variable, 'is required when the payment provider is configured');
  if (value.length < MIN_SECRET_LENGTH) throw new ConfigError(variable, `must be at least ${MIN_SECRET_LENGTH} characters`);
  return value;
}

/** All of `variables` or none of them: returns whether they are present. */
function allOrNone(env: NodeJS.ProcessEnv, variables: readonly string[]): boolean {
  const present = variables.filter((variable) => read(env, variable) !== null);
  if (present.length === 0) return false;
  const missing = variables.find((variable) => read(env, variable) === null);
  if (missing) throw new ConfigError(missing, `is required when ${present.join(', ')} is set`);
  return true;
}

export function readPaymentConfig(env: NodeJS.ProcessEnv): PaymentConfig {
  const stripe: StripeSettings | null = allOrNone(env, ['STRIPE_SECRET_KEY', 'STRIPE_WEBHOOK_SECRET'])
    ? {
        secretKey: readSecret(env, 'STRIPE_SECRET_KEY'),
        webhookSecret: readSecret(env, 'STRIPE_WEBHOOK_SECRET'),
        apiBase: readHttpUrl(env, 'STRIPE_API_BASE', 'https://api.stripe.com') ?? 'https://api.stripe.com',
        toleranceSeconds: 300,
      }
    : null;
  let epay: EpaySettings | null = null;
  if (allOrNone(env, ['EPAY_API_BASE', 'EPAY_PID', 'EPAY_KEY'])) {
    const rate = read(env, 'EPAY_CREDITS_PER_CNY') ?? '137000';
    if (!/^\d{1,12}$/.test(rate) || Number(rate) <= 0) throw new ConfigError('EPAY_CREDITS_PER_CNY', 'must be a positive integer');
    epay = {
      apiBase: readHttpUrl(env, 'EPAY_API_BASE', null) ?? '',
      pid: read(env, 'EPAY_PID') ?? '',
      key: readSecret(env, 'EPAY_KEY'),
      creditsPerCny: Number(rate),
    };
  }
  const publicUrl = readHttpUrl(env, 'PAYMENT_PUBLIC_URL', null);
  if ((stripe || epay) && publicUrl === null) throw new ConfigError('PAYMENT_PUBLIC_URL', 'is required when Stripe or Epay is configured');
  return { publicUrl, stripe, epay };
}
