// The one outbound HTTP client: a pooled keep-alive undici Agent with connect/header/body timeouts and the SSRF guard
// (http(s) only, every resolved address checked at connect time, no redirects). Everything upstream goes through here.
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { isIP, type LookupFunction } from 'node:net';
import { Agent, type Dispatcher } from 'undici';
import { isBlockedAddress } from './address-policy';

export class UpstreamBlockedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UpstreamBlockedError';
  }
}

export interface UpstreamFetcherOptions {
  allowPrivateUpstreams: boolean;
  connectTimeoutMs?: number;
  headersTimeoutMs?: number;
  bodyTimeoutMs?: number;
}

export interface UpstreamRequest {
  url: string;
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  body?: string | Buffer;
  signal?: AbortSignal;
}

export interface UpstreamFetcher {
  request(request: UpstreamRequest): Promise<Dispatcher.ResponseData>;
  close(): Promise<void>;
}

/** A dns lookup that refuses blocked addresses; Node's net.connect calls it for every hostname it dials. */
export function createGuardedLookup(): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { family: options.family, hints: options.hints, all: true }, (error, addresses: LookupAddress[]) => {
      if (error) {
        callback(error, '', 0);
        return;
      }
      if (addresses.length === 0 || addresses.some((entry) => isBlockedAddress(entry.address))) {
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

/** Throws UpstreamBlockedError for a URL we must never call; DNS names are checked again at connect time. */
export function assertUpstreamUrlAllowed(url: URL, allowPrivateUpstreams: boolean): void {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UpstreamBlockedError('upstream URL must be http or https');
  if (url.username || url.password) throw new UpstreamBlockedError('upstream URL must not carry credentials');
  if (allowPrivateUpstreams) return;
  const host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  if (isIP(host) !== 0 && isBlockedAddress(host)) throw new UpstreamBlockedError('upstream address is private or reserved');
}

export function createUpstreamFetcher(options: UpstreamFetcherOptions): UpstreamFetcher {
  const agent = new Agent({
    keepAliveTimeout: 30_000,
    keepAliveMaxTimeout: 600_000,
    connections: 512,
    headersTimeout: options.headersTimeoutMs ?? 120_000,
    bodyTimeout: options.bodyTimeoutMs ?? 300_000,
    connect: {
      timeout: options.connectTimeoutMs ?? 10_000,
      ...(options.allowPrivateUpstreams ? {} : { lookup: createGuardedLookup() }),
    },
  });
  return {
    async request(request) {
      let url: URL;
      try {
        url = new URL(request.url);
      } catch {
        throw new UpstreamBlockedError('upstream URL is not valid');
      }
      assertUpstreamUrlAllowed(url, options.allowPrivateUpstreams);
      // undici's request() never follows redirects unless a redirect interceptor is installed; we install none.
      return agent.request({
        origin: url.origin,
        path: `${url.pathname}${url.search}`,
        method: request.method,
        headers: request.headers,
        body: request.body,
        signal: request.signal,
      });
    },
    close: () => agent.close(),
  };
}
