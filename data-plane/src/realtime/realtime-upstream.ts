// Opens the upstream Realtime WebSocket for one planned channel: SSRF guard (literal addresses checked here, DNS names
// at connect time by the guarded lookup), no redirects, a handshake timeout, and the upstream's refusal read as HTTP.
import type { IncomingMessage } from 'node:http';
import type { LookupFunction } from 'node:net';
import WebSocket, { type ClientOptions } from 'ws';
import { assertUpstreamUrlAllowed } from '../relay/upstream-fetcher';
import type { RealtimeUpstreamUrl } from './realtime-upstream-url';

const MAX_REFUSAL_BODY_BYTES = 16 * 1024;

export type UpstreamConnectResult =
  /** `earlyFrames`: what the upstream sent before anyone relays it (session.created), in order. */
  | { kind: 'open'; socket: WebSocket; earlyFrames: Array<{ frame: Buffer; binary: boolean }> }
  /** The upstream answered the handshake with an HTTP status instead of 101. */
  | { kind: 'refused'; status: number; bodyText: string }
  /** Blocked address, DNS, connect error or timeout. */
  | { kind: 'unreachable'; error: unknown };

export interface UpstreamConnectOptions {
  allowPrivateUpstreams: boolean;
  guardedLookup: LookupFunction;
  handshakeTimeoutMs: number;
  maxPayloadBytes: number;
  /** Aborted when the client goes away while we are still connecting. */
  signal: AbortSignal;
}

function readRefusalBody(response: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const parts: Buffer[] = [];
    let total = 0;
    const finish = () => resolve(Buffer.concat(parts).toString('utf8'));
    response.on('data', (chunk: Buffer) => {
      total += chunk.length;
      if (total <= MAX_REFUSAL_BODY_BYTES) parts.push(chunk);
      else response.destroy();
    });
    response.on('end', finish);
    response.on('close', finish);
    response.on('error', finish);
  });
}

export function connectRealtimeUpstream(url: RealtimeUpstreamUrl, headers: Record<string, string>, options: UpstreamConnectOptions): Promise<UpstreamConnectResult> {
  try {
    assertUpstreamUrlAllowed(url.httpUrl, options.allowPrivateUpstreams);
  } catch (error) {
    return Promise.resolve({ kind: 'unreachable', error });
  }
  // ws hands every option to http(s).request, so `lookup` reaches net/tls.connect (its typings omit it).
  const clientOptions: ClientOptions & { lookup?: LookupFunction } = {
    headers,
    followRedirects: false,
    handshakeTimeout: options.handshakeTimeoutMs,
    maxPayload: options.maxPayloadBytes,
    perMessageDeflate: false,
    ...(options.allowPrivateUpstreams ? {} : { lookup: options.guardedLookup }),
  };
  return new Promise((resolve) => {
    let settled = false;
    const socket = new WebSocket(url.webSocketUrl, clientOptions);
    // Frames can arrive in the same TCP read as the 101 answer, before any await resumes: buffer them from the start.
    const earlyFrames: Array<{ frame: Buffer; binary: boolean }> = [];
    socket.on('message', (data, binary) => {
      earlyFrames.push({ frame: Buffer.isBuffer(data) ? data : Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data), binary });
    });
    const done = (result: UpstreamConnectResult) => {
      if (settled) return;
      settled = true;
      options.signal.removeEventListener('abort', onAbort);
      socket.off('open', onOpen);
      if (result.kind !== 'open') socket.terminate();
      resolve(result);
    };
    const onAbort = () => done({ kind: 'unreachable', error: new Error('client went away') });
    const onOpen = () => done({ kind: 'open', socket, earlyFrames });
    // Errors after the handshake are handled by the session; this keeps an unhandled 'error' from crashing the process.
    socket.on('error', (error) => done({ kind: 'unreachable', error }));
    socket.on('open', onOpen);
    socket.on('unexpected-response', (request, response) => {
      void readRefusalBody(response).then((bodyText) => {
        request.destroy();
        done({ kind: 'refused', status: response.statusCode ?? 502, bodyText });
      });
    });
    if (options.signal.aborted) onAbort();
    else options.signal.addEventListener('abort', onAbort);
  });
}
