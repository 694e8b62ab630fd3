// Reads the JSON body with a size cap measured after decompression (gzip, deflate, br), so a small compressed bomb is
// cut off at the cap. Bad input is refused here, before any money moves or any upstream call.
import type { IncomingMessage } from 'node:http';
import type { Readable, Transform } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import type { BodyState, SnapshotState, StateMiddleware } from '../context';
import { RelayError } from '../relay/relay-error';

function decoderFor(encoding: string): Transform | null {
  switch (encoding) {
    case '':
    case 'identity':
      return null;
    case 'gzip':
    case 'x-gzip':
      return createGunzip();
    case 'deflate':
      return createInflate();
    case 'br':
      return createBrotliDecompress();
    default:
      throw new RelayError('unsupported_media_type', `Content-Encoding "${encoding}" is not supported; use gzip, deflate or br.`);
  }
}

function tooLarge(limit: number): RelayError {
  return new RelayError('body_too_large', `The request body exceeds the limit of ${limit} bytes (measured after decompression).`);
}

/** Resolves with the decoded body, or rejects with a RelayError (413 over the cap, 400 for a corrupt encoding). */
export function readRequestBody(request: IncomingMessage, limit: number): Promise<Buffer> {
  const encoding = String(request.headers['content-encoding'] ?? '').trim().toLowerCase();
  const decoder = decoderFor(encoding);
  const declaredLength = Number(request.headers['content-length']);
  if (Number.isFinite(declaredLength) && declaredLength > limit) return Promise.reject(tooLarge(limit));
  const source: Readable = decoder ?? request;
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let total = 0;
    let settled = false;
    const cleanup = () => {
      source.off('data', onData);
      source.off('end', onEnd);
      source.off('error', onError);
      request.off('error', onError);
      request.off('aborted', onAborted);
    };
    const fail = (error: RelayError) => {
      if (settled) return;
      settled = true;
      cleanup();
      if (decoder) {
        request.unpipe(decoder);
        decoder.destroy();
      }
      // Let the rest of the upload drain so the client reads our error instead of a reset; the response closes the
      // connection afterwards.
      request.resume();
      reject(error);
    };
    const onData = (chunk: Buffer) => {
      total += chunk.length;
      if (total > limit) {
        fail(tooLarge(limit));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      if (settled) return;
      settled = true;
      cleanup();
      resolve(Buffer.concat(chunks, total));
    };
    const onError = () => fail(new RelayError('invalid_request', decoder ? 'The request body could not be decompressed.' : 'The request body could not be read.'));
    const onAborted = () => fail(new RelayError('invalid_request', 'The request body was not fully received.'));
    source.on('data', onData);
    source.on('end', onEnd);
    source.on('error', onError);
    request.on('error', onError);
    request.on('aborted', onAborted);
    if (decoder) request.pipe(decoder);
  });
}

export function koaBody(): StateMiddleware<SnapshotState & BodyState> {
  return async (ctx, next) => {
    const limit = ctx.state.snapshot.settings.maxRequestBodyBytes;
    let raw: Buffer;
    try {
      raw = await readRequestBody(ctx.req, limit);
    } catch (error) {
      if (error instanceof RelayError && error.code === 'body_too_large') ctx.set('connection', 'close');
      throw error;
    }
    let json: unknown;
    try {
      json = JSON.parse(raw.toString('utf8'));
    } catch {
      throw new RelayError('invalid_json', 'We could not parse the JSON body of your request.');
    }
    if (typeof json !== 'object' || json === null || Array.isArray(json)) {
      throw new RelayError('invalid_request', 'The request body must be a JSON object.');
    }
    ctx.state.body = { json: json as Record<string, unknown>, bytes: raw.length };
    await next();
  };
}
