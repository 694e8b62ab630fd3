// Relays one chat completion: pick a channel (breakers, disabled keys, affinity, channel caps), call it through the
// guarded fetcher with the channel's overrides, retry on another channel only while nothing has reached the client and
// the global retry budget allows, then answer (JSON) or stream (SSE pass-through), settling money exactly once. A
// channel that speaks the caller's own protocol (Anthropic, Gemini) is served natively: the caller's body goes up and
// the upstream's bytes come back unchanged, usage still read from them; other channels of the route are converted.
import type { ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';
import type Koa from 'koa';
import type { Dispatcher } from 'undici';
import type { TokenUsage } from '@nebulagate/schema';
import type { DataPlaneServices, RelayState } from '../context';
import { applyHeaderOverrides, applyParameterOverrides } from '../resilience/channel-overrides';
import { mapUpstreamStatus } from '../resilience/upstream-error-classifier';
import type { SettlementOutcome } from '../billing/settlement';
import { evaluateGovernance } from '../governance/governance-engine';
import { describeError, logger } from '../observability/logger';
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
import type { PlannedAttempt } from './route-planner';
import { RelayError } from './relay-error';
import { formatSseData, SSE_HEADERS, SseFrameSplitter, startsWithBytesAt } from './sse';
import { estimatedUsage, estimateTokensFromBytes } from './usage-meter';
import { toOpenAiErrorBody } from './relay-error';
import type { ChatAdapter, ChatResponseSummary, FrameAction, NativeChatAdapter, NativeStreamProcessor, PreparedUpstreamCall, StreamProcessor } from '../providers/provider-adapter';

const DONE_FRAME = Buffer.from('data: [DONE]');
const PING_FRAME = ': ping\n\n';

type RelayContext = Koa.ParameterizedContext<RelayState>;

/** The native side of the channel's adapter when the caller speaks the channel's protocol, else null (convert). */
export function nativeAdapterFor(state: Pick<RelayState, 'clientWire'>, adapter: ChatAdapter): NativeChatAdapter | null {
  const wire = state.clientWire;
  const native = adapter.native;
  if (!wire?.protocol || !wire.originalBody || !native || native.protocol !== wire.protocol) return null;
  return native;
}

/**
 * The caller's body to send natively: the original, or a copy with the masks that hit the (converted) request applied
 * to it too. The rules already matched their scope on this request, so only their patterns are run again.
 */
export function maskedNativeBody(state: Pick<RelayState, 'governance' | 'snapshot'>, native: NativeChatAdapter, original: Record<string, unknown>): Record<string, unknown> {
  const maskRuleIds = new Set((state.governance?.hits ?? []).filter((hit) => hit.action === 'mask').map((hit) => hit.ruleId));
  if (maskRuleIds.size === 0) return original;
  const rules = state.snapshot.governanceRules
    .filter((rule) => maskRuleIds.has(rule.id))
    .map((rule) => ({ ...rule, match: { ...rule.match, models: null, paths: null, groups: null, tokenIds: null } }));
  const masked = structuredClone(original);
  evaluateGovernance(rules, { body: native.textView(masked), model: '', path: '', group: '', tokenId: '' });
  return masked;
}

export async function relayChat(ctx: RelayContext, services: DataPlaneServices): Promise<void> {
  const { chat, body } = ctx.state;
  await relayWithRetries(ctx, services, { endpoint: 'chat', model: chat.model, tiers: chat.tiers, estimatedTokens: estimateTokensFromBytes(body.bytes) }, (plan, controller, isClientGone, record) =>
    runAttempt(ctx, services, plan, controller, isClientGone, record),
  );
}

async function runAttempt(
  ctx: RelayContext,
  services: DataPlaneServices,
  plan: PlannedAttempt,
  controller: AbortController,
  isClientGone: () => boolean,
  record: AttemptRecorder,
): Promise<AttemptResult> {
  const { chat, body, snapshot } = ctx.state;
  const adapter = plan.adapter.chat;
  if (!adapter) return channelFault(new RelayError('upstream_error', 'A channel is misconfigured.'));
  let apiKey: string;
  try {
    apiKey = services.snapshots.openKey(plan.sealedKey);
  } catch {
    logger.error('a channel key cannot be decrypted with CRYPTO_SECRET', { channelId: plan.channel.id });
    return channelFault(new RelayError('upstream_error', 'A channel is misconfigured.'));
  }
  const secrets = [apiKey, plan.channel.baseUrl];
  try {
    secrets.push(new URL(plan.channel.baseUrl).host);
  } catch {
    // invalid URL: the fetcher refuses it below
  }
  const native = nativeAdapterFor(ctx.state, adapter);
  const originalBody = ctx.state.clientWire?.originalBody;
  const conversionProblem = ctx.state.clientWire?.conversionProblem;
  if (!native && conversionProblem) {
    // The request holds what only the caller's protocol carries: refuse it here rather than drop it silently.
    return { kind: 'fail', error: new RelayError('invalid_request', conversionProblem.message, conversionProblem.param), status: null, outcome: 'neutral', disableKey: false };
  }
  const userAgent = ctx.get('user-agent') || null;
  // The upstream model comes from the converted body's model (governance may have rerouted it) via the plan.
  const call: PreparedUpstreamCall =
    native && originalBody
      ? native.prepareNative({
          baseUrl: plan.channel.baseUrl,
          apiKey,
          body: maskedNativeBody(ctx.state, native, originalBody),
          upstreamModel: plan.upstreamModel,
          stream: chat.stream,
          userAgent,
          callerHeader: (name) => ctx.get(name) || null,
        })
      : adapter.prepareChat({ baseUrl: plan.channel.baseUrl, apiKey, body: body.json, upstreamModel: plan.upstreamModel, stream: chat.stream, userAgent });
  const upstreamBody = applyParameterOverrides(call.body, plan.channel.parameterOverrides);
  const upstreamHeaders = applyHeaderOverrides(call.headers, plan.channel.headerOverrides);

  let response: Dispatcher.ResponseData;
  try {
    response = await services.fetcher.request({ url: call.url, method: 'POST', headers: upstreamHeaders, body: upstreamBody, signal: controller.signal });
  } catch (error) {
    if (isClientGone()) throw new ClientAbortedError();
    logger.warn('upstream attempt failed', { requestId: ctx.state.requestId, channelId: plan.channel.id, error: errorCodeOf(error) || describeError(error) });
    return channelFault(transportFailure(error));
  }
  ctx.state.settlement.firstByteAt = Date.now();

  if (response.statusCode < 200 || response.statusCode >= 300) {
    const text = await readLimitedText(response.body);
    const status = mapUpstreamStatus(response.statusCode, plan.channel.statusCodeMapping);
    const failure = adapter.normaliseError(status, text, secrets);
    const result = upstreamFailureResult(response.statusCode, status, text, failure.error, snapshot.settings.retry.retryOnStatus);
    logger.warn('upstream answered an error', { requestId: ctx.state.requestId, channelId: plan.channel.id, keyId: plan.keyId, status: response.statusCode, retry: result.kind });
    return result;
  }
  services.metrics.countUpstreamAttempt('ok');
  if (!chat.stream) return answerJson(ctx, adapter, native, response, record);
  return relayStream(ctx, services, adapter, native, plan, response, controller, secrets, isClientGone, record);
}

/** The reply for the caller and its summary: the upstream's own bytes when native, else the (converted) OpenAI body. */
function readReply(ctx: RelayContext, adapter: ChatAdapter, native: NativeChatAdapter | null, raw: Buffer): { body: Buffer; summary: ChatResponseSummary } | null {
  if (native) {
    const summary = native.readNativeResponse(raw);
    return summary ? { body: raw, summary } : null;
  }
  const reading = adapter.readChatResponse(raw);
  if (!reading) return null;
  const wire = ctx.state.clientWire;
  const converted = wire ? wire.convertJson(reading.body, ctx.state.chat.model) : reading.body;
  return converted ? { body: converted, summary: reading } : null;
}

async function answerJson(ctx: RelayContext, adapter: ChatAdapter, native: NativeChatAdapter | null, response: Dispatcher.ResponseData, record: AttemptRecorder): Promise<AttemptResult> {
  const { body, settlement } = ctx.state;
  let raw: Buffer;
  try {
    raw = Buffer.from(await response.body.arrayBuffer());
  } catch (error) {
    return channelFault(transportFailure(error));
  }
  const reply = readReply(ctx, adapter, native, raw);
  if (!reply) return channelFault(new RelayError('upstream_error', 'The upstream provider sent an unreadable answer.'));
  const { summary } = reply;
  const estimated = summary.usage === null;
  const usage = summary.usage ?? estimatedUsage(body.bytes, Math.ceil(summary.completionBytes / 4));
  record(200, null);
  await settlement.finish({ status: 'success', httpStatus: 200, usage, estimated, void: summary.empty, errorCode: null });
  ctx.status = 200;
  ctx.type = 'application/json';
  // The upstream JSON goes back as received, as the received bytes: no re-serialisation and no re-encoding to UTF-8
  // (unless the caller speaks another wire format than the channel).
  ctx.body = reply.body;
  return { kind: 'done', usage, failed: false };
}

/** The frames an unterminated last upstream frame stands for once the adapter saw it. */
function lastFrames(action: FrameAction, frame: Buffer): Buffer[] {
  if (action.kind === 'forward') return [frame];
  if (action.kind === 'replace') return action.frames;
  return [];
}

function streamOutcome(processor: StreamProcessor, promptBytes: number, partial: Omit<SettlementOutcome, 'usage' | 'estimated' | 'void'>): SettlementOutcome {
  // A cut stream: the upstream's own prompt counts when it sent them (cache tokens priced as such), else an estimate.
  const known = processor.promptUsage;
  const usage = processor.usage ?? (known ? { ...known, completionTokens: processor.streamedCompletionTokens } : estimatedUsage(promptBytes, processor.streamedCompletionTokens));
  const empty = processor.usage ? processor.usage.completionTokens === 0 && !processor.sawContent : !processor.sawContent;
  return { ...partial, usage, estimated: processor.usage === null, void: empty };
}

type PumpResult = { failed: false } | { failed: true; error: unknown };

/** What the async iterator threw for a body that closed before its end. */
function prematureCloseError(): Error {
  return Object.assign(new Error('Premature close'), { code: 'ERR_STREAM_PREMATURE_CLOSE' });
}

/**
 * Hands every upstream chunk to `onChunk` from the body's 'data' events, and pauses the upstream while the client's
 * socket is full. This runs once per SSE event: an async iterator cost a readable event, a tick and two promise
 * turns per chunk. Ends when the body ended or `onChunk` returned false (not failed), or when the body failed, closed
 * before its end (the async iterator's premature-close error) or `onChunk` threw (failed).
 */
function pumpUpstream(upstream: Readable, output: ServerResponse, onChunk: (chunk: Buffer) => boolean): Promise<PumpResult> {
  return new Promise((resolve) => {
    let settled = false;
    const settle = (result: PumpResult) => {
      if (settled) return;
      settled = true;
      upstream.off('data', onData);
      upstream.off('end', onEnd);
      upstream.off('error', onError);
      upstream.off('close', onClose);
      resolve(result);
    };
    const onEnd = () => settle({ failed: false });
    const onError = (error: unknown) => settle({ failed: true, error });
    // An error is emitted before 'close'; a close with neither an end nor an error is a cut.
    const onClose = () => settle(upstream.readableEnded ? { failed: false } : { failed: true, error: prematureCloseError() });
    const onData = (chunk: Buffer) => {
      let more: boolean;
      try {
        more = onChunk(chunk);
      } catch (error) {
        upstream.pause();
        settle({ failed: true, error });
        return;
      }
      if (!more) {
        // The caller destroys the upstream next; until then nothing more is read (and lost).
        upstream.pause();
        settle({ failed: false });
        return;
      }
      if (output.writableNeedDrain) {
        upstream.pause();
        void waitForDrain(output).then(() => {
          if (!settled) upstream.resume();
        });
      }
    };
    upstream.on('end', onEnd);
    upstream.on('error', onError);
    upstream.on('close', onClose);
    upstream.on('data', onData);
  });
}

async function relayStream(
  ctx: RelayContext,
  services: DataPlaneServices,
  adapter: ChatAdapter,
  native: NativeChatAdapter | null,
  plan: PlannedAttempt,
  response: Dispatcher.ResponseData,
  controller: AbortController,
  secrets: string[],
  isClientGone: () => boolean,
  record: AttemptRecorder,
): Promise<AttemptResult> {
  const { chat, body, settlement } = ctx.state;
  // Native frames are the caller's protocol already: no translator, no [DONE] (the upstream's own end closes it).
  const nativeProcessor: NativeStreamProcessor | null = native ? native.createNativeStreamProcessor({ secrets }) : null;
  const processor: StreamProcessor = nativeProcessor ?? adapter.createStreamProcessor({ clientWantsUsage: chat.clientWantsUsage, secrets });
  const translator = nativeProcessor ? null : (ctx.state.clientWire?.createStreamTranslator({ model: chat.model, estimatedInputTokens: estimatedUsage(body.bytes, 0).promptTokens }) ?? null);
  const splitter = new SseFrameSplitter();
  const output = ctx.res;
  const upstream = response.body;
  let committed = false;
  let sawDone = false;
  let streamError: RelayError | null = null;

  // Comment frames on long gaps keep proxies and clients from timing out a stream that is only thinking; every SDK
  // parser skips lines starting with ':'.
  let lastWriteAt = 0;
  let pingTimer: NodeJS.Timeout | null = null;
  const pingInterval = services.streamPingIntervalMs;
  const commit = () => {
    if (committed) return;
    committed = true;
    ctx.respond = false;
    ctx.status = 200;
    for (const [name, value] of Object.entries(SSE_HEADERS)) output.setHeader(name, value);
    // No flushHeaders(): the headers leave with the first write, in the same syscall as the first frames (commit runs
    // right before that write, or right before the end when only [DONE] came).
    services.metrics.activeStreams += 1;
    lastWriteAt = Date.now();
    if (pingInterval > 0) {
      pingTimer = setInterval(() => {
        if (output.writableEnded || Date.now() - lastWriteAt < pingInterval) return;
        output.write(PING_FRAME);
        lastWriteAt = Date.now();
      }, pingInterval);
      pingTimer.unref();
    }
  };

  /** Forwards the complete frames of one chunk; returns an upstream error frame's error, if any. */
  const forward = (chunk: Buffer): RelayError | null => {
    const frames = splitter.push(chunk);
    let pending: Buffer[] | null = null;
    let allForwarded = frames.length > 0;
    let error: RelayError | null = null;
    for (const frame of frames) {
      if (!nativeProcessor && startsWithBytesAt(frame, DONE_FRAME)) {
        // Held back: [DONE] is written after settling, so the client sees completion only once the money is settled.
        sawDone = true;
        allForwarded = false;
        continue;
      }
      const action = processor.handleFrame(frame);
      if (action.kind === 'error') {
        error = action.error;
        allForwarded = false;
        break;
      }
      if (action.kind === 'drop') {
        allForwarded = false;
        continue;
      }
      if (action.kind === 'replace') {
        allForwarded = false;
        if (action.done) sawDone = true;
        for (const replacement of action.frames) {
          const translated = translator ? translator.frame(replacement) : replacement;
          if (translated) (pending ??= []).push(translated);
        }
        continue;
      }
      const translated = translator ? translator.frame(frame) : frame;
      if (translated) (pending ??= []).push(translated);
    }
    if (!pending) return error;
    // Untouched chunk made only of whole frames: write the upstream buffer itself.
    const data = !translator && allForwarded && splitter.lastPushWasExact ? chunk : pending.length === 1 ? (pending[0] as Buffer) : Buffer.concat(pending);
    commit();
    lastWriteAt = Date.now();
    // A full client socket pauses the upstream (pumpUpstream) until it drains.
    output.write(data);
    return error;
  };

  try {
    // Typed wide on purpose: it is set inside the chunk callback, where the compiler cannot follow it.
    let frameError = null as RelayError | null;
    const pumped = await pumpUpstream(upstream, output, (chunk) => {
      frameError = forward(chunk);
      return frameError === null && !isClientGone();
    });
    if (frameError) {
      if (!committed) {
        upstream.destroy();
        return channelFault(frameError);
      }
      streamError = frameError;
    } else if (pumped.failed) {
      const error = pumped.error;
      if (!committed && !isClientGone()) return channelFault(transportFailure(error));
      if (!isClientGone()) {
        logger.warn('upstream stream broke', { requestId: ctx.state.requestId, channelId: plan.channel.id, error: errorCodeOf(error) || describeError(error) });
        streamError = new RelayError('upstream_error', 'The upstream connection failed during the stream.');
      }
    }
    // Stop reading the upstream whatever happened (no-op after a clean end): frees the socket.
    if (!upstream.destroyed && (streamError || isClientGone())) {
      controller.abort();
      upstream.destroy();
    }

    if (isClientGone()) {
      if (committed) services.metrics.activeStreams -= 1;
      const aborted = streamOutcome(processor, body.bytes, { status: 'client_aborted', httpStatus: 499, errorCode: 'client_aborted' });
      record(committed ? 200 : null, 'client_aborted');
      await settlement.finish(aborted);
      if (!committed) throw new ClientAbortedError();
      return { kind: 'done', usage: aborted.usage, failed: false };
    }
    if (!committed && !streamError) {
      // The upstream ended before sending anything we could forward (or only [DONE]).
      if (!sawDone || nativeProcessor) return channelFault(new RelayError('upstream_error', 'The upstream provider ended the stream without an answer.'));
      commit();
    }
    const rest = splitter.flush();
    if (nativeProcessor && !streamError) {
      // An unterminated last frame still counts (and may carry the end); then the upstream's own end must have come.
      const action = rest ? processor.handleFrame(rest) : null;
      if (action?.kind === 'error') streamError = action.error;
      else if (action && rest) for (const frame of lastFrames(action, rest)) output.write(frame);
      if (!streamError && !nativeProcessor.complete) streamError = new RelayError('upstream_error', 'The upstream provider ended the stream before its end event.');
    }
    const last = !nativeProcessor && rest && !streamError ? lastFrames(processor.handleFrame(rest), rest) : [];
    // An upstream that closes cleanly but never finished (no [DONE], no finish_reason, no end event) cut the answer
    // short: the caller must learn that, not receive a silently truncated reply billed as a success.
    if (!nativeProcessor && !streamError && !sawDone && !processor.sawFinish) {
      streamError = new RelayError('upstream_error', 'The upstream provider ended the stream before finishing the answer.');
    }
    const outcome = streamError
      ? streamOutcome(processor, body.bytes, { status: 'error', httpStatus: 200, errorCode: streamError.code })
      : streamOutcome(processor, body.bytes, { status: 'success', httpStatus: 200, errorCode: null });
    record(200, streamError ? streamError.code : null);
    await settlement.finish(outcome);
    if (streamError) {
      // Never a silent cut: the SDK turns this frame into an APIError.
      const frame = nativeProcessor ? nativeProcessor.errorFrame(streamError) : translator ? translator.error(streamError) : formatSseData(toOpenAiErrorBody(streamError));
      output.end(frame);
    } else if (nativeProcessor) {
      output.end();
    } else {
      if (translator) {
        for (const frame of last) {
          const translated = translator.frame(frame);
          if (translated) output.write(translated);
        }
        output.end(translator.end(processor.usage));
      } else {
        for (const frame of last) output.write(frame);
        output.end(sawDone ? 'data: [DONE]\n\n' : undefined);
      }
    }
    services.metrics.activeStreams -= 1;
    return { kind: 'done', usage: outcome.usage, failed: streamError !== null };
  } finally {
    if (pingTimer) clearInterval(pingTimer);
  }
}
