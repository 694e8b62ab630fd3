// The one retry loop every relay (chat, and the non-chat endpoints) runs: pick a channel (breakers, disabled keys,
// affinity, channel caps), run one attempt, record it on the usage event, report it to the breakers, and move on to
// another channel only while nothing has reached the client and the global retry budget allows. Plus the small helpers
// the attempts share (transport failures, bounded error bodies, backpressure, failure classification).
import type { ServerResponse } from 'node:http';
import type Koa from 'koa';
import type { Dispatcher } from 'undici';
import type { RouteTier, TokenUsage } from '@nebulagate/schema';
import type { AuthState, DataPlaneServices, LimitsState, RequestIdState, ReserveState, SnapshotState } from '../context';
import { channelLimitScope } from '../limits/limit-scopes';
import type { LimitTicket } from '../limits/rate-limiter';
import { describeError, logger } from '../observability/logger';
import type { RelayEndpoint } from '../providers';
import type { AttemptOutcome } from '../resilience/channel-health';
import { sessionHash } from '../resilience/session-affinity';
import { classifyUpstreamFailure, type UpstreamFailureKind } from '../resilience/upstream-error-classifier';
import { RelayError } from './relay-error';
import { planAttempt, type PlannedAttempt } from './route-planner';
import { UpstreamBlockedError } from './upstream-fetcher';

const MAX_ERROR_BODY_BYTES = 64 * 1024;

export class ClientAbortedError extends Error {
  constructor() {
    super('client closed the connection');
    this.name = 'ClientAbortedError';
  }
}

export type AttemptResult =
  /** The client got its answer (`failed`: a stream that broke after it started). */
  | { kind: 'done'; usage: TokenUsage | null; failed: boolean }
  /** Nothing reached the client: `retry` may move on to another channel, `fail` ends the request with `error`. */
  | { kind: 'retry' | 'fail'; error: RelayError; status: number | null; outcome: AttemptOutcome; disableKey: boolean };

/** Records this attempt on the usage event once; called before settling so the event carries it. */
export type AttemptRecorder = (status: number | null, errorCode: string | null) => void;

/** Runs one upstream attempt on the planned channel. */
export type AttemptRunner = (plan: PlannedAttempt, controller: AbortController, isClientGone: () => boolean, record: AttemptRecorder) => Promise<AttemptResult>;

/** The channel failed before anything reached the client (connect error, timeout, unreadable answer). */
export function channelFault(error: RelayError): AttemptResult {
  return { kind: 'retry', error, status: null, outcome: 'failure', disableKey: false };
}

export function errorCodeOf(error: unknown): string {
  if (typeof error === 'object' && error !== null && 'code' in error && typeof (error as { code: unknown }).code === 'string') {
    return (error as { code: string }).code;
  }
  return '';
}

/** Connect/timeout failures -> a scrubbed RelayError (no host, address or key in the message). */
export function transportFailure(error: unknown): RelayError {
  if (error instanceof UpstreamBlockedError) return new RelayError('upstream_error', 'The upstream address of this channel is not allowed.');
  const code = errorCodeOf(error);
  if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT' || code === 'UND_ERR_CONNECT_TIMEOUT') {
    return new RelayError('upstream_timeout', 'The upstream provider did not answer in time.');
  }
  return new RelayError('upstream_error', 'The gateway could not reach the upstream provider.');
}

/** An upstream error body, at most 64 KiB (breaking out of the loop destroys the body: no socket is held). */
export async function readLimitedText(body: Dispatcher.ResponseData['body']): Promise<string> {
  const parts: Buffer[] = [];
  let total = 0;
  try {
    for await (const chunk of body) {
      const buffer = chunk as Buffer;
      total += buffer.length;
      if (total > MAX_ERROR_BODY_BYTES) break;
      parts.push(buffer);
    }
  } catch {
    // A broken error body still tells us the status.
  }
  return Buffer.concat(parts).toString('utf8');
}

/** Resolves when the client socket can take more (or is gone). */
export function waitForDrain(response: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      response.off('drain', done);
      response.off('close', done);
      resolve();
    };
    response.on('drain', done);
    response.on('close', done);
  });
}

function attemptOutcomeOf(kind: UpstreamFailureKind): AttemptOutcome {
  if (kind === 'upstream_failure') return 'failure';
  if (kind === 'key_rate_limited') return 'key_failure';
  // An invalid or empty key disables the key, not the channel; the caller's own 4xx says nothing about the channel.
  return 'neutral';
}

/** A non-2xx upstream answer (status already mapped by the channel) -> retry, fail, breaker outcome, key disable. */
export function upstreamFailureResult(rawStatus: number, mappedStatus: number, bodyText: string, error: RelayError, retryOnStatus: readonly number[]): AttemptResult {
  const classified = classifyUpstreamFailure(mappedStatus, bodyText, retryOnStatus);
  return {
    kind: classified.retryable ? 'retry' : 'fail',
    error,
    status: rawStatus,
    outcome: attemptOutcomeOf(classified.kind),
    disableKey: classified.kind === 'key_invalid' || classified.kind === 'key_no_credit',
  };
}

export interface AttemptTarget {
  endpoint: RelayEndpoint;
  model: string;
  tiers: RouteTier[];
  /** Tokens the request is expected to use, for a channel's TPM cap at admission. */
  estimatedTokens: number;
}

type LoopState = RequestIdState & SnapshotState & AuthState & ReserveState & LimitsState;

export async function relayWithRetries<StateT extends LoopState>(
  ctx: Koa.ParameterizedContext<StateT>,
  services: DataPlaneServices,
  target: AttemptTarget,
  run: AttemptRunner,
): Promise<void> {
  const { snapshot, settlement, auth, requestId } = ctx.state;
  const retry = snapshot.settings.retry;
  const excluded = new Set<string>();
  let lastError: RelayError | null = null;
  let current: AbortController | null = null;
  let clientGone = false;
  let attempts = 0;
  /** A retry taken from the global budget and not yet used (a denied probe or a capped channel keeps it). */
  let retryGranted = false;
  let channelCapped = false;
  const onClose = () => {
    if (ctx.res.writableFinished) return;
    clientGone = true;
    current?.abort();
  };
  ctx.res.on('close', onClose);
  const session = sessionHash(snapshot.settings.sessionAffinity, auth.user.id, (name) => ctx.get(name));
  let preferred = session ? await services.affinity.lookup(session) : null;
  try {
    while (attempts < retry.maxAttempts) {
      if (clientGone) throw new ClientAbortedError();
      const plan = planAttempt(snapshot, target.tiers, target.model, excluded, Math.random, target.endpoint, { health: services.health, preferred });
      preferred = null;
      if (!plan) break;
      excluded.add(plan.channel.id);
      if (attempts > 0 && !retryGranted) {
        if (!(await services.retryBudget.tryRetry(retry.budgetRatio))) {
          logger.warn('retry budget spent; not retrying', { requestId, channelId: plan.channel.id });
          break;
        }
        retryGranted = true;
      }
      if (plan.probes.length > 0 && !(await services.health.acquireProbe(plan.probes, snapshot.settings.breaker.openSeconds * 1000))) continue;
      const channelScope = channelLimitScope(plan.channel.id, plan.channel.limits);
      let channelTicket: LimitTicket | null = null;
      if (channelScope) {
        const admission = await services.limiter.admit([channelScope], `${requestId}:${attempts}`, target.estimatedTokens);
        if (!admission.admitted) {
          channelCapped = true;
          continue;
        }
        channelTicket = admission.ticket;
      }
      if (attempts === 0) services.retryBudget.noteFirstAttempt();
      attempts += 1;
      retryGranted = false;
      settlement.channelId = plan.channel.id;
      settlement.upstreamModel = plan.upstreamModel;
      const startedAt = Date.now();
      let recorded = false;
      const record: AttemptRecorder = (status, errorCode) => {
        if (recorded) return;
        recorded = true;
        settlement.attempts.push({ channelId: plan.channel.id, keyId: plan.keyId, status, errorCode, durationMs: Math.max(0, Date.now() - startedAt) });
      };
      const controller = new AbortController();
      current = controller;
      services.activeUpstreams.add(controller);
      let usedTokens: number | null = null;
      try {
        let result: AttemptResult;
        try {
          result = await run(plan, controller, () => clientGone, record);
        } catch (error) {
          if (error instanceof ClientAbortedError) record(null, 'client_aborted');
          throw error;
        }
        const probe = plan.probes.length > 0;
        if (result.kind === 'done') {
          record(200, result.failed ? 'upstream_error' : null);
          services.health.report(plan.channel.id, plan.keyId, result.failed ? 'failure' : 'success', probe);
          if (result.usage) usedTokens = result.usage.promptTokens + result.usage.completionTokens;
          if (ctx.state.limitUsage) ctx.state.limitUsage.actualTokens = usedTokens;
          if (session && !result.failed) services.affinity.remember(session, { channelId: plan.channel.id, keyId: plan.keyId }, snapshot.settings.sessionAffinity.ttlSeconds);
          return;
        }
        record(result.status, result.error.code);
        services.health.report(plan.channel.id, plan.keyId, result.outcome, probe);
        if (result.disableKey) void services.health.disableKey(plan.channel.id, plan.keyId);
        services.metrics.countUpstreamAttempt(result.error.code);
        if (result.kind === 'fail') throw result.error;
        lastError = result.error;
      } finally {
        services.activeUpstreams.delete(controller);
        if (channelTicket) {
          channelTicket.release(usedTokens).catch((error: unknown) => {
            logger.warn('channel limit release failed', { requestId, error: describeError(error) });
          });
        }
      }
    }
    if (clientGone) throw new ClientAbortedError();
    // Giving up fast: the client (or its SDK) learns when trying again makes sense.
    ctx.set('Retry-After', String(services.health.retryAfterSeconds(target.tiers.flatMap((tier) => tier.channels.map((entry) => entry.channelId)), Date.now())));
    if (lastError) throw lastError;
    throw new RelayError(
      'no_available_channel',
      channelCapped
        ? `Every channel for the model "${target.model}" is at capacity right now. Please retry shortly.`
        : `No channel is available for the model "${target.model}" right now.`,
    );
  } finally {
    ctx.res.off('close', onClose);
  }
}
