// Upstream account balance, for the providers that expose it to an API key (DeepSeek, Moonshot). Read by the health
// worker and shown on the channel; it never disables anything (an empty account is a key-level error the data plane
// already handles).
import { z } from 'zod';
import type { ChannelBalanceValue } from './channel.entity';
import type { ProbeRequest } from './channel-probe';

function withoutVersion(baseUrl: string): string {
  return baseUrl.replace(/\/+$/, '').replace(/\/v1$/, '');
}

/** The balance call for a channel type, or null when the provider offers none. */
export function buildBalanceRequest(type: string, baseUrl: string, apiKey: string): ProbeRequest | null {
  const headers = { accept: 'application/json', 'accept-encoding': 'identity', authorization: `Bearer ${apiKey}` };
  if (type === 'deepseek') return { url: `${withoutVersion(baseUrl)}/user/balance`, method: 'GET', headers };
  if (type === 'moonshot') return { url: `${withoutVersion(baseUrl)}/v1/users/me/balance`, method: 'GET', headers };
  return null;
}

const deepSeekBalanceSchema = z.object({
  is_available: z.boolean().nullish(),
  balance_infos: z.array(z.object({ currency: z.string().nullish(), total_balance: z.union([z.string(), z.number()]).nullish() })).nullish(),
});

const moonshotBalanceSchema = z.object({
  data: z.object({ available_balance: z.number().nullish() }).nullish(),
});

function parseJson(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return null;
  }
}

/** The balance in the provider's currency (USD preferred when it reports several), or null when unreadable. */
export function readBalance(type: string, baseUrl: string, body: string, checkedAt: number): ChannelBalanceValue | null {
  const json = parseJson(body);
  if (type === 'deepseek') {
    const parsed = deepSeekBalanceSchema.safeParse(json);
    const infos = parsed.success ? (parsed.data.balance_infos ?? []) : [];
    const info = infos.find((entry) => entry.currency === 'USD') ?? infos[0];
    const amount = Number(info?.total_balance ?? Number.NaN);
    if (!info || !Number.isFinite(amount)) return null;
    return { amount, currency: info.currency ?? 'CNY', checkedAt };
  }
  if (type === 'moonshot') {
    const parsed = moonshotBalanceSchema.safeParse(json);
    const amount = parsed.success ? parsed.data.data?.available_balance : null;
    if (typeof amount !== 'number' || !Number.isFinite(amount)) return null;
    // The reply names no currency: the China platform bills in CNY, the international one in USD.
    const currency = /\.cn(?:[:/]|$)/.test(baseUrl) ? 'CNY' : 'USD';
    return { amount, currency, checkedAt };
  }
  return null;
}
