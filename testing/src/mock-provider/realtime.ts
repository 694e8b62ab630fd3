// A mock OpenAI Realtime upstream on its own HTTP server: records every WebSocket handshake and frame it gets, answers
// `response.create` with a scripted response ending in `response.done` (with usage), echoes binary frames, and can
// refuse the handshake with an HTTP status. The mock for tests of the gateway's /v1/realtime proxy.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import WebSocket, { WebSocketServer } from 'ws';

export interface RealtimeUsage {
  input_tokens: number;
  output_tokens: number;
  input_token_details?: { cached_tokens?: number; text_tokens?: number; audio_tokens?: number };
  output_token_details?: { text_tokens?: number; audio_tokens?: number };
}

export interface RealtimeConnectionScript {
  /** Refuse the handshake with this HTTP status (and an OpenAI error body). */
  status?: number;
}

export interface RecordedRealtimeConnection {
  path: string;
  search: string;
  headers: IncomingMessage['headers'];
  /** Frames received from the gateway, in order. */
  frames: Array<{ binary: boolean; data: Buffer }>;
  /** Close code the gateway sent (null while open). */
  closeCode: number | null;
  socket: WebSocket;
}

export interface MockRealtime {
  /** OpenAI-style base URL including /v1 (http://127.0.0.1:port/v1): the base URL of an OpenAI-type channel. */
  baseUrl: string;
  port: number;
  connections: RecordedRealtimeConnection[];
  /** The next handshakes follow these scripts, in order (then: accept). */
  enqueueConnection(...scripts: RealtimeConnectionScript[]): void;
  /** Usage of the next `response.done` events, in order (then: a small default). */
  enqueueUsage(...usages: RealtimeUsage[]): void;
  reset(): void;
  close(): Promise<void>;
}

export const DEFAULT_REALTIME_USAGE: RealtimeUsage = { input_tokens: 10, output_tokens: 5, input_token_details: { cached_tokens: 0 }, output_token_details: { text_tokens: 5, audio_tokens: 0 } };

let eventCounter = 0;
function eventId(): string {
  eventCounter += 1;
  return `event_mock_${eventCounter}`;
}

function answerResponseCreate(socket: WebSocket, usage: RealtimeUsage): void {
  const id = `resp_mock_${eventCounter + 1}`;
  const send = (event: Record<string, unknown>) => socket.send(JSON.stringify({ event_id: eventId(), ...event }));
  send({ type: 'response.created', response: { id, object: 'realtime.response', status: 'in_progress', output: [], usage: null } });
  send({ type: 'response.output_text.delta', response_id: id, item_id: `item_${id}`, output_index: 0, content_index: 0, delta: 'Hello from the mock.' });
  send({
    type: 'response.done',
    response: { id, object: 'realtime.response', status: 'completed', output: [], usage: { total_tokens: usage.input_tokens + usage.output_tokens, ...usage } },
  });
}

export async function startMockRealtime(options: { apiKeys?: string[] } = {}): Promise<MockRealtime> {
  const connections: RecordedRealtimeConnection[] = [];
  const connectionScripts: RealtimeConnectionScript[] = [];
  const usages: RealtimeUsage[] = [];
  const sockets = new Set<Socket>();
  const webSocketServer = new WebSocketServer({ noServer: true, perMessageDeflate: false });
  const server: Server = createServer((_request, response) => {
    response.writeHead(404, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ error: { message: 'not found', type: 'invalid_request_error', param: null, code: null } }));
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  server.on('upgrade', (request, socket, head) => {
    const url = new URL(request.url ?? '/', 'http://mock.invalid');
    const script = connectionScripts.shift() ?? {};
    const bearer = (request.headers.authorization ?? '').replace(/^Bearer\s+/i, '');
    const refuse = (status: number, message: string) => {
      const body = JSON.stringify({ error: { message, type: status === 401 ? 'invalid_request_error' : 'server_error', param: null, code: status === 401 ? 'invalid_api_key' : null } });
      socket.end(`HTTP/1.1 ${status} Mock\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
    };
    if (url.pathname !== '/v1/realtime') return refuse(404, 'unknown path');
    if (options.apiKeys?.length && !options.apiKeys.includes(bearer)) return refuse(401, 'Incorrect API key provided.');
    if (script.status && script.status >= 300) return refuse(script.status, `scripted failure ${script.status}`);
    webSocketServer.handleUpgrade(request, socket, head, (client) => {
      const record: RecordedRealtimeConnection = { path: url.pathname, search: url.search, headers: request.headers, frames: [], closeCode: null, socket: client };
      connections.push(record);
      client.on('close', (code) => {
        record.closeCode = code;
      });
      client.on('error', () => undefined);
      client.on('message', (data, binary) => {
        const buffer = Buffer.isBuffer(data) ? data : Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);
        record.frames.push({ binary, data: buffer });
        if (binary) {
          client.send(buffer, { binary: true });
          return;
        }
        let type = '';
        try {
          type = String((JSON.parse(buffer.toString('utf8')) as { type?: unknown }).type ?? '');
        } catch {
          type = '';
        }
        if (type === 'response.create') answerResponseCreate(client, usages.shift() ?? DEFAULT_REALTIME_USAGE);
      });
      client.send(JSON.stringify({ event_id: eventId(), type: 'session.created', session: { id: 'sess_mock', object: 'realtime.session', model: url.searchParams.get('model') } }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    port,
    connections,
    enqueueConnection: (...scripts) => connectionScripts.push(...scripts),
    enqueueUsage: (...more) => usages.push(...more),
    reset: () => {
      connections.length = 0;
      connectionScripts.length = 0;
      usages.length = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const connection of connections) connection.socket.terminate();
        for (const socket of sockets) socket.destroy();
        webSocketServer.close();
        server.close(() => resolve());
      }),
  };
}
