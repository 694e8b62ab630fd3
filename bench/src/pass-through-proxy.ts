// L0: node:http in, undici out, bytes piped straight through with no logic. The physical limit for a Node relay;
// every gateway figure in the benchmark is read as a ratio of this one.
import { createServer, type IncomingHttpHeaders, type OutgoingHttpHeaders } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { Pool } from 'undici';

export interface PassThroughProxyOptions {
  /** e.g. http://127.0.0.1:1234 — the request path is forwarded unchanged. */
  upstreamOrigin: string;
  host?: string;
  port?: number;
}

export interface PassThroughProxy {
  url: string;
  port: number;
  close(): Promise<void>;
}

// Connection-scoped headers must not be forwarded (RFC 9110 §7.6.1); everything else passes untouched.
const HOP_BY_HOP_HEADERS = new Set(['connection', 'keep-alive', 'transfer-encoding', 'host', 'upgrade', 'proxy-connection', 'te', 'trailer']);

function forwardableHeaders(headers: IncomingHttpHeaders | Record<string, string | string[] | undefined>): OutgoingHttpHeaders {
  const forwarded: OutgoingHttpHeaders = {};
  for (const name of Object.keys(headers)) {
    const value = headers[name];
    if (value !== undefined && !HOP_BY_HOP_HEADERS.has(name)) forwarded[name] = value;
  }
  return forwarded;
}

export async function startPassThroughProxy(options: PassThroughProxyOptions): Promise<PassThroughProxy> {
  // Unlimited keep-alive connections, like a gateway's shared undici dispatcher.
  const upstream = new Pool(options.upstreamOrigin, { keepAliveTimeout: 60_000, pipelining: 1 });
  const sockets = new Set<Socket>();

  const server = createServer((request, response) => {
    const parts: Buffer[] = [];
    request.on('data', (part: Buffer) => parts.push(part));
    request.on('end', () => {
      const headers = forwardableHeaders(request.headers);
      upstream
        .stream(
          {
            path: request.url ?? '/',
            method: request.method === 'POST' ? 'POST' : 'GET',
            headers: headers as Record<string, string>,
            body: parts.length > 0 ? Buffer.concat(parts) : null,
          },
          ({ statusCode, headers: upstreamHeaders }) => {
            response.writeHead(statusCode, forwardableHeaders(upstreamHeaders));
            return response;
          },
        )
        .catch(() => {
          if (!response.headersSent) {
            response.writeHead(502, { 'content-type': 'application/json' });
            response.end('{"error":{"message":"upstream failed","type":"api_error","param":null,"code":null}}');
          } else {
            response.destroy();
          }
        });
    });
  });
  server.keepAliveTimeout = 60_000;
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });

  await new Promise<void>((resolve) => server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await upstream.destroy();
    },
  };
}
