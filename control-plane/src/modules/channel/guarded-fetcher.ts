// The control plane's and workers' outbound client for channel probes: http(s) only, the resolved address checked at
// connect time (a name that re-resolves to a private address is refused), no redirects, bounded time and body size.
// Same policy as the data plane's upstream fetcher; the control plane may not import the data plane.
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { isIP, type LookupFunction } from 'node:net';
import { Agent } from 'undici';
import { isPrivateAddress } from './upstream-url';

const MAX_BODY_BYTES = 64 * 1024;

export class UpstreamBlockedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UpstreamBlockedError';
  }
}

export interface GuardedFetcherOptions {
  allowPrivateUpstreams: boolean;
  /** Whole request budget: connect + headers + (capped) body. */
  timeoutMs?: number;
}

export interface GuardedRequest {
  url: string;
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  body?: string;
}

export interface GuardedResponse {
  status: number;
  /** At most 64 KiB of the body, decoded as UTF-8. */
  body: string;
}

export interface GuardedFetcher {
  request(request: GuardedRequest): Promise<GuardedResponse>;
  close(): Promise<void>;
}

/** A dns lookup that refuses private addresses; net.connect calls it for every hostname it dials. */
export function createGuardedLookup(): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { family: options.family, hints: options.hints, all: true }, (error, addresses: LookupAddress[]) => {
      if (error) {
        callback(error, '', 0);
        return;
      }
      if (addresses.length === 0 || addresses.some((entry) => isIP(entry.address) === 0 || isPrivateAddress(entry.address))) {
        callback(new UpstreamBlockedError('upstream host resolves to a private or reserved address'), '', 0);
        return;
      }
      if (options.all) {
        (callback as unknown as (error: null, addresses: LookupAddress[]) => void)(null, addresses);
        return;
      }
      const first = addresses[0] as LookupAddress;
      callback(null, first.address, first.family);
    });
  };
}

/** Throws UpstreamBlockedError for a URL we must never call; host names are checked again at connect time. */
export function assertUrlAllowed(url: URL, allowPrivateUpstreams: boolean): void {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UpstreamBlockedError('upstream URL must be http or https');
  if (url.username || url.password) throw new UpstreamBlockedError('upstream URL must not carry credentials');
  if (allowPrivateUpstreams) return;
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (isIP(host) !== 0 && isPrivateAddress(host)) throw new UpstreamBlockedError('upstream address is private or reserved');
}

async function readCapped(body: AsyncIterable<Buffer | Uint8Array> & { destroy?: () => void }): Promise<string> {
  const parts: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    const buffer = Buffer.from(chunk);
    parts.push(buffer);
    size += buffer.length;
    if (size >= MAX_BODY_BYTES) {
      body.destroy?.();
      break;
    }
  }
  return Buffer.concat(parts).subarray(0, MAX_BODY_BYTES).toString('utf8');
}

export function createGuardedFetcher(options: GuardedFetcherOptions): GuardedFetcher {
  const timeoutMs = options.timeoutMs ?? 15_000;
  const agent = new Agent({
    keepAliveTimeout: 10_000,
    connections: 16,
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs,
    connect: { timeout: Math.min(timeoutMs, 10_000), ...(options.allowPrivateUpstreams ? {} : { lookup: createGuardedLookup() }) },
  });
  return {
    async request(request) {
      let url: URL;
      try {
        url = new URL(request.url);
      } catch {
        throw new UpstreamBlockedError('upstream URL is not valid');
      }
      assertUrlAllowed(url, options.allowPrivateUpstreams);
      // undici's request() follows no redirects without a redirect interceptor; none is installed.
      const response = await agent.request({
        origin: url.origin,
        path: `${url.pathname}${url.search}`,
        method: request.method,
        headers: request.headers,
        body: request.body,
        signal: AbortSignal.timeout(timeoutMs),
      });
      return { status: response.statusCode, body: await readCapped(response.body) };
    },
    close: () => agent.close(),
  };
}
