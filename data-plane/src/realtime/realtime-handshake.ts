// Pure readers for the Realtime WebSocket handshake: which path it targets, which key it carries (headers, ?key= or the
// browser's `openai-insecure-api-key.<key>` subprotocol), which subprotocol we answer with and whether to pass OpenAI-Beta.
import type { IncomingHttpHeaders } from 'node:http';
import type { ParsedUrlQuery } from 'node:querystring';
import { extractApiKey } from '../middleware/koa-auth';

export const REALTIME_PATHS: ReadonlySet<string> = new Set(['/v1/realtime', '/hf/v1/realtime']);
/** The subprotocol we select; browsers offer it beside the key subprotocol. */
export const REALTIME_SUBPROTOCOL = 'realtime';
const KEY_SUBPROTOCOL_PREFIX = 'openai-insecure-api-key.';
const BETA_SUBPROTOCOL = 'openai-beta.realtime-v1';

function headerText(headers: IncomingHttpHeaders, name: string): string {
  const value = headers[name];
  return Array.isArray(value) ? value.join(', ') : (value ?? '');
}

/** `Sec-WebSocket-Protocol: a, b` -> ['a', 'b']. */
export function offeredSubprotocols(headers: IncomingHttpHeaders): string[] {
  return headerText(headers, 'sec-websocket-protocol')
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item.length > 0);
}

/** Header and query sources first (exactly as every HTTP route reads them), then the browser subprotocol. */
export function readRealtimeKey(headers: IncomingHttpHeaders, query: ParsedUrlQuery, subprotocols: readonly string[]): string | null {
  const fromHeaders = extractApiKey({ get: (name: string) => headerText(headers, name.toLowerCase()), query });
  if (fromHeaders) return fromHeaders;
  const offered = subprotocols.find((protocol) => protocol.startsWith(KEY_SUBPROTOCOL_PREFIX));
  const key = offered?.slice(KEY_SUBPROTOCOL_PREFIX.length).trim();
  return key ? key : null;
}

/** Only `realtime` is ever selected: the key subprotocol must never be echoed back. */
export function selectSubprotocol(offered: ReadonlySet<string>): string | false {
  return offered.has(REALTIME_SUBPROTOCOL) ? REALTIME_SUBPROTOCOL : false;
}

/** The client asked for the beta Realtime API (header or the SDK's beta subprotocol). */
export function wantsRealtimeBeta(headers: IncomingHttpHeaders, subprotocols: readonly string[]): boolean {
  return /(?:^|[\s,])realtime=v1(?:$|[\s,])/i.test(headerText(headers, 'openai-beta')) || subprotocols.includes(BETA_SUBPROTOCOL);
}

/** The parts of a WebSocket handshake ws itself insists on; checked before money moves so ws never aborts it. */
export function isWebSocketHandshake(method: string | undefined, headers: IncomingHttpHeaders): boolean {
  return (
    method === 'GET' &&
    headerText(headers, 'upgrade').toLowerCase() === 'websocket' &&
    headerText(headers, 'sec-websocket-version') === '13' &&
    /^[A-Za-z0-9+/]{22}==$/.test(headerText(headers, 'sec-websocket-key').trim())
  );
}
