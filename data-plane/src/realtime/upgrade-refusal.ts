// Answers a refused WebSocket upgrade with a plain HTTP response in OpenAI's error shape, then closes the socket:
// a bad request is never upgraded.
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import { RelayError, toOpenAiErrorBody } from '../relay/relay-error';

export function refuseUpgrade(socket: Duplex, error: RelayError, headers: Record<string, string> = {}): void {
  if (socket.destroyed || !socket.writable) {
    socket.destroy();
    return;
  }
  const body = JSON.stringify(toOpenAiErrorBody(error));
  const lines = [
    `HTTP/1.1 ${error.status} ${STATUS_CODES[error.status] ?? 'Error'}`,
    'Content-Type: application/json; charset=utf-8',
    `Content-Length: ${Buffer.byteLength(body)}`,
    'Connection: close',
  ];
  // Quota and input errors must not be retried by SDKs (as on every HTTP route).
  if (error.status < 500 && error.status !== 429) lines.push('x-should-retry: false');
  for (const [name, value] of Object.entries(headers)) lines.push(`${name}: ${value}`);
  socket.end(`${lines.join('\r\n')}\r\n\r\n${body}`);
  // end() flushes; the timer only bounds a client that never reads.
  setTimeout(() => socket.destroy(), 1_000).unref();
}

export function asRelayError(error: unknown): RelayError {
  return error instanceof RelayError ? error : new RelayError('internal_error', 'An internal error occurred. Please retry; contact the administrator if it persists.');
}
