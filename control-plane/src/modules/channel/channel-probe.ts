// One cheap upstream call for a channel: a free model list (health sweeps) or a 1-token chat (testChannel), in the
// channel type's own wire format; the outcome classified so that only the upstream's own trouble counts as "down".
import { performance } from 'node:perf_hooks';
import { z } from 'zod';
import type { GuardedFetcher } from './guarded-fetcher';

export type ProbeKind = 'models' | 'chat';
/** up: upstream answered sanely; down: unreachable / timed out / 5xx; inconclusive: says nothing about the channel. */
export type ProbeOutcome = 'up' | 'down' | 'inconclusive';

export interface ProbeTarget {
  type: string;
  baseUrl: string;
  apiKey: string;
  headerOverrides: Record<string, string>;
  parameterOverrides: Record<string, unknown>;
}

export interface ProbeRequest {
  url: string;
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  body?: string;
}

export interface ProbeResult {
  outcome: ProbeOutcome;
  ok: boolean;
  httpStatus: number | null;
  latencyMs: number;
  /** Scrubbed: never holds the key. */
  message: string;
}

const ANTHROPIC_VERSION = '2023-06-01';
const PROBE_PROMPT = 'ping';
const MAX_MESSAGE_LENGTH = 300;

function trimBase(baseUrl: string): string {
  return baseUrl.replace(/\/+$/, '');
}

/** The upstream call for one probe. Base URLs follow the data plane: OpenAI-wire ones include /v1, the others do not. */
export function buildProbeRequest(target: ProbeTarget, kind: ProbeKind, upstreamModel: string): ProbeRequest {
  const base = trimBase(target.baseUrl);
  const json = { 'content-type': 'application/json', accept: 'application/json', 'accept-encoding': 'identity' };
  if (target.type === 'anthropic') {
    const headers = { ...target.headerOverrides, ...json, 'x-api-key': target.apiKey, 'anthropic-version': ANTHROPIC_VERSION };
    if (kind === 'models') return { url: `${base}/v1/models`, method: 'GET', headers };
    const body = { model: upstreamModel, max_tokens: 1, messages: [{ role: 'user', content: PROBE_PROMPT }] };
    return { url: `${base}/v1/messages`, method: 'POST', headers, body: JSON.stringify(body) };
  }
  if (target.type === 'gemini') {
    const headers = { ...target.headerOverrides, ...json, 'x-goog-api-key': target.apiKey };
    if (kind === 'models') return { url: `${base}/v1beta/models`, method: 'GET', headers };
    const body = { contents: [{ role: 'user', parts: [{ text: PROBE_PROMPT }] }], generationConfig: { maxOutputTokens: 1 } };
    return { url: `${base}/v1beta/models/${encodeURIComponent(upstreamModel)}:generateContent`, method: 'POST', headers, body: JSON.stringify(body) };
  }
  const headers = { ...target.headerOverrides, ...json, authorization: `Bearer ${target.apiKey}` };
  if (kind === 'models') return { url: `${base}/models`, method: 'GET', headers };
  const body: Record<string, unknown> = { ...target.parameterOverrides, model: upstreamModel, messages: [{ role: 'user', content: PROBE_PROMPT }], max_tokens: 1, stream: false };
  return { url: `${base}/chat/completions`, method: 'POST', headers, body: JSON.stringify(body) };
}

/**
 * What an HTTP status says about the channel. A 4xx is the request's or the key's business, never the channel's
 * (one-api disabled channels on such errors); rate limits and key refusals say nothing either way.
 */
export function classifyStatus(status: number): ProbeOutcome {
  if (status >= 200 && status < 300) return 'up';
  if (status === 408 || status >= 500) return 'down';
  if (status === 401 || status === 402 || status === 403 || status === 429) return 'inconclusive';
  if (status >= 400) return 'up';
  return 'inconclusive';
}

const errorBodySchema = z.object({
  error: z.union([z.string(), z.object({ message: z.string().nullish(), type: z.string().nullish(), status: z.string().nullish() })]).nullish(),
  message: z.string().nullish(),
});

/** Removes the key (and anything key-shaped) and caps the length, so the message is safe to show and log. */
export function scrubMessage(message: string, secrets: readonly string[]): string {
  let scrubbed = message;
  for (const secret of secrets) if (secret.length >= 4) scrubbed = scrubbed.split(secret).join('[redacted]');
  scrubbed = scrubbed.replace(/\b(sk|pk|rk|ak|key|AIza)[-_A-Za-z0-9]{12,}/g, '[redacted]').replace(/\b[A-Za-z0-9_-]{32,}\b/g, '[redacted]');
  scrubbed = scrubbed.replace(/\s+/g, ' ').trim();
  return scrubbed.length > MAX_MESSAGE_LENGTH ? `${scrubbed.slice(0, MAX_MESSAGE_LENGTH)}…` : scrubbed;
}

/** The upstream's own error message from an OpenAI / Anthropic / Gemini error body, if it has one. */
export function upstreamErrorMessage(body: string): string | null {
  try {
    const parsed = errorBodySchema.safeParse(JSON.parse(body));
    if (!parsed.success) return null;
    const error = parsed.data.error;
    if (typeof error === 'string') return error;
    return error?.message ?? parsed.data.message ?? null;
  } catch {
    return null;
  }
}

function errorName(error: unknown): string {
  for (let current: unknown = error, depth = 0; current instanceof Error && depth < 5; current = current.cause, depth += 1) {
    if (current.name === 'UpstreamBlockedError') return 'refused: the upstream address is private or reserved (set ALLOW_PRIVATE_UPSTREAMS to allow)';
  }
  if (error instanceof Error) {
    const code = (error as Error & { code?: unknown }).code;
    if (error.name === 'TimeoutError' || error.name === 'AbortError' || code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_CONNECT_TIMEOUT') return 'timed out';
    if (typeof code === 'string') return `connection failed (${code})`;
    return `connection failed (${error.message})`;
  }
  return 'connection failed';
}

/** Sends one probe; never throws. `now` is injectable so latency is measurable in tests without timers. */
export async function runProbe(fetcher: GuardedFetcher, request: ProbeRequest, secrets: readonly string[], now: () => number = () => performance.now()): Promise<ProbeResult> {
  const started = now();
  try {
    const response = await fetcher.request(request);
    const latencyMs = Math.max(0, Math.round(now() - started));
    const outcome = classifyStatus(response.status);
    const ok = response.status >= 200 && response.status < 300;
    const detail = ok ? 'ok' : (upstreamErrorMessage(response.body) ?? `upstream answered ${response.status}`);
    return { outcome, ok, httpStatus: response.status, latencyMs, message: scrubMessage(detail, secrets) };
  } catch (error) {
    const latencyMs = Math.max(0, Math.round(now() - started));
    return { outcome: 'down', ok: false, httpStatus: null, latencyMs, message: scrubMessage(errorName(error), secrets) };
  }
}
