// Relays one non-chat request (legacy completions, embeddings, images, audio, moderations, rerank): pick a channel
// whose adapter serves the endpoint, call it through the guarded fetcher, retry on another channel only before
// anything reached the client, pass the reply through (JSON/text bytes, binary audio, completion SSE) and settle once.
import { pipeline } from 'node:stream/promises';
import type { TokenUsage } from '@nebulagate/schema';
import type Koa from 'koa';
import type { Dispatcher } from 'undici';
import type { DataPlaneServices } from '../context';
import type { EndpointRelayState } from '../middleware/koa-endpoint-guard';
import { describeError, logger } from '../observability/logger';
import type { RelayEndpoint } from '../providers';
import type { EndpointAdapter } from '../providers/endpoint-adapter';
import { createOpenAiStreamProcessor } from '../providers/openai/stream';
import { mapUpstreamStatus } from '../resilience/upstream-error-classifier';
import {
  channelFault,
  ClientAbortedError,
  errorCodeOf,
  readLimitedText,
  relayWithRetries,
  transportFailure,
  upstreamFailureResult,
  waitForDrain,
  type AttemptRecorder,
  type AttemptResult,
} from './attempt-loop';
import { RelayError, toOpenAiErrorBody } from './relay-error';
import type { PlannedAttempt } from './route-planner';
import { formatSseData, SSE_HEADERS, SseFrameSplitter } from './sse';
import { estimatedUsage, estimateTokensFromBytes, jsonStringByteLength } from './usage-meter';

type EndpointContext = Koa.ParameterizedContext<EndpointRelayState>;
const DONE_FRAME = Buffer.from('data: [DONE]');
const TEXT_MARKER = Buffer.from('"text":"');
/** Channel header overrides never replace these: auth, framing and encoding belong to the adapter. */
const PROTECTED_HEADERS = new Set([
  'authorization',
  'api-key',
  'x-api-key',
  'x-goog-api-key',
  'host',
  'content-length',
  'content-type',
  'transfer-encoding',
  'connection',
  'accept-encoding',
]);
/** Endpoints billed by tokens: without upstream usage they are estimated from bytes (flagged). */
const TOKEN_BILLED: ReadonlySet<RelayEndpoint> = new Set<RelayEndpoint>(['completions', 'embeddings', 'rerank']);

export function withHeaderOverrides(headers: Record<string, string>, overrides: Record<string, string>): Record<string, string> {
  const result = { ...headers };
  for (const [name, value] of Object.entries(overrides)) {
    if (!PROTECTED_HEADERS.has(name.toLowerCase())) result[name.toLowerCase()] = value;
  }
  return result;
}

/** UTF-8 bytes of the `"text"` string values in a completion reply or chunk (the generated text). */
export function completionTextBytes(buffer: Buffer): number {
  let total = 0;
  let from = 0;
  for (;;) {
    const index = buffer.indexOf(TEXT_MARKER, from);
    if (index === -1) return total;
    const valueStart = index + TEXT_MARKER.length;
    const length = jsonStringByteLength(buffer, valueStart);
    total += length;
    from = valueStart + length + 1;
  }
}

/** What a reply without upstream usage is billed: token endpoints estimate (flagged); the others bill perCall only. */
export function fallbackUsage(endpoint: RelayEndpoint, promptBytes: number, completionBytes: number): { usage: TokenUsage; estimated: boolean } {
  if (!TOKEN_BILLED.has(endpoint)) return { usage: estimatedUsage(0, 0), estimated: false };
  return { usage: estimatedUsage(promptBytes, endpoint === 'completions' ? estimateTokensFromBytes(completionBytes) : 0), estimated: true };
}

function headerValue(value: string | string[] | undefined): string | null {
  const first = Array.isArray(value) ? value[0] : value;
  return first && first.trim() ? first.trim() : null;
}

export async function relayEndpoint(ctx: EndpointContext, services: DataPlaneServices): Promise<void> {
  const { endpoint, endpointBody } = ctx.state;
  await relayWithRetries(
    ctx,
    services,
    { endpoint: endpoint.kind, model: endpoint.model, tiers: endpoint.tiers, estimatedTokens: estimateTokensFromBytes(endpointBody.textBytes) },
    (plan, controller, isClientGone, record) => runAttempt(ctx, services, plan, controller, isClientGone, record),
  );
}

async function runAttempt(
  ctx: EndpointContext,
  services: DataPlaneServices,
  plan: PlannedAttempt,
  controller: AbortController,
  isClientGone: () => boolean,
  record: AttemptRecorder,
): Promise<AttemptResult> {
  const { endpoint, endpointBody, settlement, snapshot } = ctx.state;
  const adapter = plan.adapter.endpointAdapter;
  let apiKey: string | null = null;
  try {
    apiKey = adapter ? services.snapshots.openKey(plan.sealedKey) : null;
  } catch {
    logger.error('a channel key cannot be decrypted with CRYPTO_SECRET', { channelId: plan.channel.id });
  }
  if (!adapter || apiKey === null) return channelFault(new RelayError('upstream_error', 'A channel is misconfigured.'));
  const baseUrl = plan.channel.baseUrl || plan.adapter.defaultBaseUrl || '';
  const secrets = [apiKey, baseUrl];
  try {
    secrets.push(new URL(baseUrl).host);
  } catch {
    // invalid URL: the fetcher refuses it below
  }
  const call = adapter.prepare({
    endpoint: endpoint.kind,
    baseUrl,
    apiKey,
    payload: endpointBody.payload,
    upstreamModel: plan.upstreamModel,
    stream: endpoint.stream,
    userAgent: ctx.get('user-agent') || null,
    parameterOverrides: plan.channel.parameterOverrides,
  });

  let response: Dispatcher.ResponseData;
  try {
    response = await services.fetcher.request({
      url: call.url,
      method: 'POST',
      headers: withHeaderOverrides(call.headers, plan.channel.headerOverrides),
      body: call.body,
      signal: controller.signal,
    });
  } catch (error) {
    if (isClientGone()) throw new ClientAbortedError();
    logger.warn('upstream attempt failed', { requestId: ctx.state.requestId, channelId: plan.channel.id, error: errorCodeOf(error) || describeError(error) });
    return channelFault(transportFailure(error));
  }
  settlement.firstByteAt = Date.now();

  if (response.statusCode < 200 || response.statusCode >= 300) {
    const text = await readLimitedText(response.body);
    const status = mapUpstreamStatus(response.statusCode, plan.channel.statusCodeMapping);
    const failure = adapter.normaliseError(status, text, secrets);
    const result = upstreamFailureResult(response.statusCode, status, text, failure.error, snapshot.settings.retry.retryOnStatus);
    logger.warn('upstream answered an error', { requestId: ctx.state.requestId, channelId: plan.channel.id, keyId: plan.keyId, status: response.statusCode, retry: result.kind });
    return result;
  }
  const result = endpoint.stream
    ? await relayCompletionStream(ctx, services, response, controller, secrets, isClientGone, record)
    : endpoint.kind === 'speech'
      ? await relayBinary(ctx, response, controller, isClientGone, record)
      : await answerBuffered(ctx, adapter, response, isClientGone, record);
  if (result.kind === 'done') services.metrics.countUpstreamAttempt('ok');
  return result;
}

/** JSON (or text/subtitle) replies: read whole, bill from their usage, send the upstream bytes unchanged. */
async function answerBuffered(
  ctx: EndpointContext,
  adapter: EndpointAdapter,
  response: Dispatcher.ResponseData,
  isClientGone: () => boolean,
  record: AttemptRecorder,
): Promise<AttemptResult> {
  const { endpoint, endpointBody, settlement } = ctx.state;
  let raw: Buffer;
  try {
    raw = Buffer.from(await response.body.arrayBuffer());
  } catch (error) {
    if (isClientGone()) throw new ClientAbortedError();
    return channelFault(transportFailure(error));
  }
  const contentType = headerValue(response.headers['content-type']) ?? 'application/json';
  let usage: TokenUsage | null = null;
  if (/json/i.test(contentType)) {
    try {
      usage = adapter.readUsage(endpoint.kind, JSON.parse(raw.toString('utf8')));
    } catch {
      // Not JSON after all: billed like a reply without usage.
    }
  }
  const billed = usage ? { usage, estimated: false } : fallbackUsage(endpoint.kind, endpointBody.textBytes, completionTextBytes(raw));
  record(200, null);
  await settlement.finish({ status: 'success', httpStatus: 200, usage: billed.usage, estimated: billed.estimated, void: false, errorCode: null });
  ctx.status = 200;
  ctx.type = contentType;
  ctx.body = raw;
  return { kind: 'done', usage: billed.usage, failed: false };
}

/** Audio bytes stream through as they arrive; the call is settled before the response ends. */
async function relayBinary(
  ctx: EndpointContext,
  response: Dispatcher.ResponseData,
  controller: AbortController,
  isClientGone: () => boolean,
  record: AttemptRecorder,
): Promise<AttemptResult> {
  const { settlement } = ctx.state;
  const output = ctx.res;
  ctx.respond = false;
  output.statusCode = 200;
  output.setHeader('content-type', headerValue(response.headers['content-type']) ?? 'application/octet-stream');
  let broken = false;
  try {
    await pipeline(response.body, output, { end: false });
  } catch {
    broken = true;
  }
  if (broken || isClientGone()) {
    controller.abort();
    response.body.destroy();
  }
  const zero = estimatedUsage(0, 0);
  if (isClientGone()) {
    // The upstream did the work: the call is billed (perCall) even though the caller left.
    record(200, 'client_aborted');
    await settlement.finish({ status: 'client_aborted', httpStatus: 499, usage: zero, estimated: false, void: false, errorCode: 'client_aborted' });
    return { kind: 'done', usage: zero, failed: false };
  }
  if (broken) {
    logger.warn('upstream audio broke mid-body', { requestId: ctx.state.requestId });
    record(200, 'upstream_error');
    await settlement.finish({ status: 'error', httpStatus: 200, usage: null, estimated: false, void: true, errorCode: 'upstream_error' });
    output.destroy(); // never a silent short file: the client sees a cut connection
    return { kind: 'done', usage: null, failed: true };
  }
  record(200, null);
  await settlement.finish({ status: 'success', httpStatus: 200, usage: zero, estimated: false, void: false, errorCode: null });
  output.end();
  return { kind: 'done', usage: zero, failed: false };
}

/** Legacy completion SSE: frames pass through as bytes; the forced usage chunk is dropped unless asked for. */
async function relayCompletionStream(
  ctx: EndpointContext,
  services: DataPlaneServices,
  response: Dispatcher.ResponseData,
  controller: AbortController,
  secrets: string[],
  isClientGone: () => boolean,
  record: AttemptRecorder,
): Promise<AttemptResult> {
  const { endpoint, endpointBody, settlement } = ctx.state;
  const processor = createOpenAiStreamProcessor({ clientWantsUsage: endpoint.clientWantsUsage, secrets });
  const splitter = new SseFrameSplitter();
  const output = ctx.res;
  const upstream = response.body;
  let committed = false;
  let sawDone = false;
  let textBytes = 0;
  let streamError: RelayError | null = null;

  const commit = () => {
    if (committed) return;
    committed = true;
    ctx.respond = false;
    output.statusCode = 200;
    for (const [name, value] of Object.entries(SSE_HEADERS)) output.setHeader(name, value);
    output.flushHeaders();
    services.metrics.activeStreams += 1;
  };
  const outcome = (partial: { status: 'success' | 'error' | 'client_aborted'; httpStatus: number; errorCode: string | null }) => {
    const usage = processor.usage ?? estimatedUsage(endpointBody.textBytes, estimateTokensFromBytes(textBytes));
    return { ...partial, usage, estimated: processor.usage === null, void: processor.usage === null && textBytes === 0 };
  };

  try {
    for await (const chunk of upstream) {
      const forwarded: Buffer[] = [];
      for (const frame of splitter.push(chunk as Buffer)) {
        if (frame.indexOf(DONE_FRAME) === 0) {
          // Held back: [DONE] is written after settling, so the client sees completion only once the money is settled.
          sawDone = true;
          continue;
        }
        const action = processor.handleFrame(frame);
        if (action.kind === 'error') {
          streamError = action.error;
          break;
        }
        if (action.kind === 'drop') continue;
        textBytes += completionTextBytes(frame);
        forwarded.push(frame);
      }
      if (streamError && !committed) {
        upstream.destroy();
        return channelFault(streamError);
      }
      if (forwarded.length > 0) {
        commit();
        if (!output.write(forwarded.length === 1 ? (forwarded[0] as Buffer) : Buffer.concat(forwarded))) await waitForDrain(output);
      }
      if (streamError || isClientGone()) break;
    }
  } catch (error) {
    if (!committed && !isClientGone()) return channelFault(transportFailure(error));
    if (!isClientGone()) streamError = new RelayError('upstream_error', 'The upstream connection failed during the stream.');
  }
  if (!upstream.destroyed && (streamError || isClientGone())) {
    controller.abort();
    upstream.destroy();
  }
  if (isClientGone()) {
    if (committed) services.metrics.activeStreams -= 1;
    record(committed ? 200 : null, 'client_aborted');
    const aborted = outcome({ status: 'client_aborted', httpStatus: 499, errorCode: 'client_aborted' });
    await settlement.finish(aborted);
    if (!committed) throw new ClientAbortedError();
    return { kind: 'done', usage: aborted.usage, failed: false };
  }
  if (!committed && !streamError) {
    if (!sawDone) return channelFault(new RelayError('upstream_error', 'The upstream provider ended the stream without an answer.'));
    commit();
  }
  record(200, streamError ? streamError.code : null);
  const finished = outcome(streamError ? { status: 'error', httpStatus: 200, errorCode: streamError.code } : { status: 'success', httpStatus: 200, errorCode: null });
  await settlement.finish(finished);
  const rest = splitter.flush();
  if (streamError) output.end(formatSseData(toOpenAiErrorBody(streamError)));
  else {
    if (rest && processor.handleFrame(rest).kind === 'forward') output.write(rest);
    output.end(sawDone ? 'data: [DONE]\n\n' : undefined);
  }
  services.metrics.activeStreams -= 1;
  return { kind: 'done', usage: finished.usage, failed: streamError !== null };
}
