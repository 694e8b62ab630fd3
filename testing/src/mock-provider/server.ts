// The mock upstream LLM provider: the one stand-in our tests use. Records every request it receives and follows
// per-request scripts (status, latency, missing usage, resets, mid-stream errors).
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { handleChatCompletion, handleModelList, sendOpenAIError } from './openai';
import type { MockScript } from './script';

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: unknown;
}

export interface MockProvider {
  /** Base URL including /v1, e.g. http://127.0.0.1:1234/v1. */
  baseUrl: string;
  port: number;
  requests: RecordedRequest[];
  /** The next request(s) follow these scripts, in order. */
  enqueue(...scripts: MockScript[]): void;
  /** Used when the queue is empty. */
  setDefault(script: MockScript): void;
  reset(): void;
  close(): Promise<void>;
}

export interface MockProviderOptions {
  port?: number;
  host?: string;
  models?: string[];
  /** Only accept requests bearing one of these keys (Authorization: Bearer). Empty = accept any. */
  apiKeys?: string[];
  defaultScript?: MockScript;
}

async function readBody(request: IncomingMessage): Promise<string> {
  const parts: Buffer[] = [];
  for await (const part of request) parts.push(part as Buffer);
  return Buffer.concat(parts).toString('utf8');
}

export async function startMockProvider(options: MockProviderOptions = {}): Promise<MockProvider> {
  const queue: MockScript[] = [];
  let defaultScript: MockScript = options.defaultScript ?? {};
  const requests: RecordedRequest[] = [];
  const models = options.models ?? ['gpt-4o-mini', 'gpt-4o', 'mock-model'];
  const sockets = new Set<import('node:net').Socket>();

  const server: Server = createServer(async (request, response) => {
    try {
      const raw = await readBody(request);
      let body: unknown = raw;
      if (raw && (request.headers['content-type'] ?? '').includes('json')) {
        try {
          body = JSON.parse(raw);
        } catch {
          body = raw;
        }
      }
      const path = (request.url ?? '/').split('?')[0] ?? '/';
      requests.push({ method: request.method ?? 'GET', path, headers: request.headers, body });

      if (options.apiKeys?.length) {
        const key = (request.headers.authorization ?? '').replace(/^Bearer\s+/i, '');
        if (!options.apiKeys.includes(key)) {
          sendOpenAIError(response, 401, { error: { message: 'Incorrect API key provided', type: 'invalid_request_error', param: null, code: 'invalid_api_key' } });
          return;
        }
      }
      const script = queue.shift() ?? defaultScript;
      if (script.delayMs) await new Promise((resolve) => setTimeout(resolve, script.delayMs));
      if (script.status && script.status >= 300) {
        sendOpenAIError(response, script.status, script.errorBody);
        return;
      }
      if (request.method === 'POST' && path.endsWith('/chat/completions')) {
        await handleChatCompletion(response, typeof body === 'object' && body ? body : {}, script);
        return;
      }
      if (request.method === 'GET' && path.endsWith('/models')) {
        handleModelList(response, models);
        return;
      }
      sendOpenAIError(response, 404, { error: { message: `mock provider has no route ${request.method} ${path}`, type: 'invalid_request_error', param: null, code: null } });
    } catch (error) {
      if (!response.headersSent) sendOpenAIError(response, 500);
      else response.destroy(error as Error);
    }
  });
  server.keepAliveTimeout = 60_000;
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });

  await new Promise<void>((resolve) => server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    port,
    requests,
    enqueue: (...scripts) => queue.push(...scripts),
    setDefault: (script) => {
      defaultScript = script;
    },
    reset: () => {
      queue.length = 0;
      requests.length = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
