// The mock upstream LLM provider: the one stand-in our tests use. Records every request it receives and follows
// per-request scripts (status, latency, missing usage, resets, mid-stream errors).
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { handleCountTokens, handleMessages, sendAnthropicError } from './anthropic';
import { handleEmbedContent, handleGeminiCountTokens, handleGenerateContent, sendGeminiError } from './gemini';
import { handleChatCompletion, handleEmbeddings, handleModelList, sendOpenAIError } from './openai';
import { handleOpenAiEndpoint, isOpenAiEndpointPath, summariseMultipart } from './openai-endpoints';
import type { MockScript } from './script';

type WireFormat = 'openai' | 'anthropic' | 'gemini';

function wireFormatOf(path: string): WireFormat {
  if (path.startsWith('/v1/messages')) return 'anthropic';
  if (path.startsWith('/v1beta/')) return 'gemini';
  return 'openai';
}

function sendError(format: WireFormat, response: import('node:http').ServerResponse, status: number, body?: unknown): void {
  if (format === 'anthropic') sendAnthropicError(response, status, body);
  else if (format === 'gemini') sendGeminiError(response, status, body);
  else sendOpenAIError(response, status, body);
}

/** The key a request carries, in whichever header or parameter its wire format uses. */
function keyOf(request: IncomingMessage, url: URL): string {
  const bearer = (request.headers.authorization ?? '').replace(/^Bearer\s+/i, '');
  const header = (name: string) => {
    const value = request.headers[name];
    return Array.isArray(value) ? (value[0] ?? '') : (value ?? '');
  };
  return bearer || header('x-api-key') || header('x-goog-api-key') || (url.searchParams.get('key') ?? '');
}

export interface RecordedRequest {
  method: string;
  path: string;
  /** Query string including the leading `?` (empty when none). */
  search: string;
  headers: IncomingMessage['headers'];
  body: unknown;
}

export interface MockProvider {
  /** OpenAI-style base URL including /v1, e.g. http://127.0.0.1:1234/v1. */
  baseUrl: string;
  /** Scheme, host and port only: the base URL of Anthropic- and Gemini-type channels. */
  origin: string;
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

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const part of request) parts.push(part as Buffer);
  return Buffer.concat(parts);
}

export async function startMockProvider(options: MockProviderOptions = {}): Promise<MockProvider> {
  const queue: MockScript[] = [];
  let defaultScript: MockScript = options.defaultScript ?? {};
  const requests: RecordedRequest[] = [];
  const models = options.models ?? ['gpt-4o-mini', 'gpt-4o', 'mock-model'];
  const sockets = new Set<import('node:net').Socket>();

  const server: Server = createServer(async (request, response) => {
    try {
      const bytes = await readBody(request);
      const raw = bytes.toString('utf8');
      let body: unknown = raw;
      const contentType = request.headers['content-type'] ?? '';
      if (contentType.startsWith('multipart/form-data')) body = await summariseMultipart(bytes, contentType);
      if (raw && (request.headers['content-type'] ?? '').includes('json')) {
        try {
          body = JSON.parse(raw);
        } catch {
          body = raw;
        }
      }
      const url = new URL(request.url ?? '/', 'http://mock.invalid');
      const path = url.pathname;
      requests.push({ method: request.method ?? 'GET', path, search: url.search, headers: request.headers, body });
      const format = wireFormatOf(path);
      const json = (typeof body === 'object' && body ? body : {}) as Record<string, unknown>;

      if (options.apiKeys?.length && !options.apiKeys.includes(keyOf(request, url))) {
        sendError(format, response, 401);
        return;
      }
      const script = queue.shift() ?? defaultScript;
      if (script.delayMs) await new Promise((resolve) => setTimeout(resolve, script.delayMs));
      if (script.status && script.status >= 300) {
        sendError(format, response, script.status, script.errorBody);
        return;
      }
      const post = request.method === 'POST';
      const gemini = /^\/v1beta\/models\/([^:]+):(\w+)$/.exec(path);
      if (post && path.endsWith('/chat/completions')) await handleChatCompletion(response, json, script);
      else if (post && isOpenAiEndpointPath(path)) await handleOpenAiEndpoint(response, path, json, script);
      else if (post && path.endsWith('/embeddings')) handleEmbeddings(response, json, script);
      else if (request.method === 'GET' && path === '/v1/models') handleModelList(response, models);
      else if (post && path === '/v1/messages/count_tokens') handleCountTokens(response, json);
      else if (post && path === '/v1/messages') await handleMessages(response, json, script);
      else if (post && gemini?.[2] === 'generateContent') await handleGenerateContent(response, decodeURIComponent(gemini[1]!), json, false, script);
      else if (post && gemini?.[2] === 'streamGenerateContent') await handleGenerateContent(response, decodeURIComponent(gemini[1]!), json, true, script);
      else if (post && gemini?.[2] === 'countTokens') handleGeminiCountTokens(response, json);
      else if (post && gemini?.[2] === 'embedContent') handleEmbedContent(response, json);
      else if (request.method === 'GET' && path === '/v1beta/models') {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ models: models.map((id) => ({ name: `models/${id}`, displayName: id, supportedGenerationMethods: ['generateContent', 'countTokens'] })) }));
      } else sendError(format, response, 404);
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
    origin: `http://127.0.0.1:${port}`,
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
