// The Realtime proxy itself, loaded on the first WebSocket upgrade (realtime-proxy.ts). Everything that can refuse
// (auth, model, price, limits, reservation, upstream connect with failover) happens before the client's upgrade
// completes, so a bad request gets an HTTP status with an OpenAI JSON error and is never upgraded.
import type { IncomingMessage } from 'node:http';
import { parse as parseQuery } from 'node:querystring';
import type { Duplex } from 'node:stream';
import { computeCost, type RouteTier, type Snapshot, type SnapshotPrice } from '@nebulagate/schema';
import WebSocket, { WebSocketServer } from 'ws';
import { Settlement, type SettlementOutcome } from '../billing/settlement';
import type { AuthState, DataPlaneServices } from '../context';
import { requestLimitScopes } from '../limits/limit-scopes';
import type { LimitTicket } from '../limits/rate-limiter';
import { authenticateApiKey } from '../middleware/koa-auth';
import { createRequestId } from '../middleware/koa-request-id';
import { describeError, logger } from '../observability/logger';
import { providerAdapterFor } from '../providers';
import { ClientAbortedError, transportFailure, upstreamFailureResult } from '../relay/attempt-loop';
import { assertThat, RelayError } from '../relay/relay-error';
import { planAttempt, routeTiers, type PlannedAttempt } from '../relay/route-planner';
import { createGuardedLookup } from '../relay/upstream-fetcher';
import { applyHeaderOverrides } from '../resilience/channel-overrides';
import { mapUpstreamStatus } from '../resilience/upstream-error-classifier';
import { isWebSocketHandshake, offeredSubprotocols, readRealtimeKey, REALTIME_PATHS, selectSubprotocol, wantsRealtimeBeta } from './realtime-handshake';
import { RealtimeSession } from './realtime-session';
import { readRealtimeSettings, type RealtimeSettings } from './realtime-settings';
import { connectRealtimeUpstream } from './realtime-upstream';
import { realtimeUpstreamUrl } from './realtime-upstream-url';
import type { RealtimeProxy, RealtimeProxyOptions } from './realtime-proxy';
import { asRelayError, refuseUpgrade } from './upgrade-refusal';

/** The endpoint name on usage events, whichever alias the client used. */
export const REALTIME_ENDPOINT = '/v1/realtime';

export interface RealtimeUpgradeHandler extends RealtimeProxy {
  /** The server's 'upgrade' event. */
  onUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void;
}

interface Admitted {
  requestId: string;
  auth: AuthState['auth'];
  snapshot: Snapshot;
  model: string;
  tiers: RouteTier[];
  price: SnapshotPrice | null;
  multiplier: number;
}

interface OpenedUpstream {
  socket: WebSocket;
  earlyFrames: Array<{ frame: Buffer; binary: boolean }>;
}

function voidOutcome(error: RelayError | ClientAbortedError): SettlementOutcome {
  if (error instanceof ClientAbortedError) return { status: 'client_aborted', httpStatus: 499, usage: null, estimated: false, void: true, errorCode: 'client_aborted' };
  return { status: 'error', httpStatus: error.status, usage: null, estimated: false, void: true, errorCode: error.code };
}

export function createRealtimeUpgradeHandler(services: DataPlaneServices, options: RealtimeProxyOptions): RealtimeUpgradeHandler {
  const readSettings = options.readSettings ?? (() => readRealtimeSettings(process.env));
  const guardedLookup = createGuardedLookup();
  const sessions = new Set<RealtimeSession>();
  const handshakes = new Map<Promise<void>, AbortController>();
  const requestIds = new WeakMap<IncomingMessage, string>();
  let closing = false;
  const webSocketServer = new WebSocketServer({
    noServer: true,
    clientTracking: false,
    perMessageDeflate: false,
    maxPayload: readSettings().maxPayloadBytes,
    handleProtocols: (protocols) => selectSubprotocol(protocols),
  });
  webSocketServer.on('headers', (headers, request) => {
    const requestId = requestIds.get(request);
    if (requestId) headers.push(`x-request-id: ${requestId}`);
  });

  function admit(url: URL, requestId: string, auth: AuthState['auth']): Admitted {
    const snapshot = services.snapshots.snapshot;
    assertThat(snapshot, 'service_unavailable', 'The gateway has no routing configuration yet. Please retry shortly.');
    const model = url.searchParams.get('model')?.trim() ?? '';
    assertThat(model, 'invalid_request', 'Missing required query parameter: "model".', 'model');
    assertThat(auth.token.models === null || auth.token.models.includes(model), 'model_not_allowed', `This API key may not use the model "${model}".`, 'model');
    const tiers = routeTiers(snapshot, auth.group, model);
    assertThat(tiers, 'model_not_found', `The model "${model}" does not exist or you do not have access to it.`, 'model');
    const servesRealtime = tiers.some((tier) =>
      tier.channels.some((entry) => {
        const channel = snapshot.channels[entry.channelId];
        return channel !== undefined && providerAdapterFor(channel.type)?.endpoints.has('realtime') === true;
      }),
    );
    assertThat(servesRealtime, 'model_not_found', `The model "${model}" is not available on the Realtime API.`, 'model');
    const price = snapshot.prices[model] ?? null;
    assertThat(
      price !== null || snapshot.settings.allowUnpricedModels,
      'model_not_allowed',
      `The model "${model}" has no price configured yet, so it cannot be used. Ask an administrator to set its price.`,
      'model',
    );
    return { requestId, auth, snapshot, model, tiers, price, multiplier: snapshot.groupMultipliers[auth.group] ?? 1 };
  }

  async function openUpstream(admitted: Admitted, settlement: Settlement, request: IncomingMessage, settings: RealtimeSettings, signal: AbortSignal): Promise<OpenedUpstream> {
    const { snapshot, tiers, model, requestId } = admitted;
    const retry = snapshot.settings.retry;
    const excluded = new Set<string>();
    const beta = wantsRealtimeBeta(request.headers, offeredSubprotocols(request.headers));
    let lastError: RelayError | null = null;
    let attempts = 0;
    while (attempts < retry.maxAttempts) {
      if (signal.aborted) throw new ClientAbortedError();
      const plan = planAttempt(snapshot, tiers, model, excluded, Math.random, 'realtime', { health: services.health });
      if (!plan) break;
      excluded.add(plan.channel.id);
      if (plan.probes.length > 0 && !(await services.health.acquireProbe(plan.probes, snapshot.settings.breaker.openSeconds * 1000))) continue;
      if (attempts > 0 && !(await services.retryBudget.tryRetry(retry.budgetRatio))) {
        logger.warn('retry budget spent; not retrying', { requestId, channelId: plan.channel.id });
        break;
      }
      if (attempts === 0) services.retryBudget.noteFirstAttempt();
      attempts += 1;
      settlement.channelId = plan.channel.id;
      settlement.upstreamModel = plan.upstreamModel;
      const opened = await attemptChannel(plan, settlement, beta, settings, signal, retry.retryOnStatus);
      if ('socket' in opened) return opened;
      if (signal.aborted) throw new ClientAbortedError();
      if (!opened.retryable) throw opened.error;
      lastError = opened.error;
    }
    if (signal.aborted) throw new ClientAbortedError();
    if (lastError) throw lastError;
    throw new RelayError('no_available_channel', `No channel is available for the model "${model}" right now.`);
  }

  async function attemptChannel(
    plan: PlannedAttempt,
    settlement: Settlement,
    beta: boolean,
    settings: RealtimeSettings,
    signal: AbortSignal,
    retryOnStatus: readonly number[],
  ): Promise<OpenedUpstream | { error: RelayError; retryable: boolean }> {
    const { channel } = plan;
    const startedAt = Date.now();
    const probe = plan.probes.length > 0;
    const record = (status: number | null, errorCode: string | null) =>
      settlement.attempts.push({ channelId: channel.id, keyId: plan.keyId, status, errorCode, durationMs: Math.max(0, Date.now() - startedAt) });
    const url = realtimeUpstreamUrl(channel.baseUrl || plan.adapter.defaultBaseUrl || '', plan.upstreamModel);
    const chat = plan.adapter.chat;
    let apiKey: string;
    try {
      apiKey = services.snapshots.openKey(plan.sealedKey);
    } catch {
      logger.error('a channel key cannot be decrypted with CRYPTO_SECRET', { channelId: channel.id });
      apiKey = '';
    }
    if (!url || !apiKey || !chat) {
      const error = new RelayError('upstream_error', 'A channel is misconfigured.');
      record(null, error.code);
      services.health.report(channel.id, plan.keyId, 'failure', probe);
      return { error, retryable: true };
    }
    const headers = applyHeaderOverrides(
      { authorization: `Bearer ${apiKey}`, ...(beta ? { 'openai-beta': 'realtime=v1' } : {}) },
      channel.headerOverrides,
    );
    const result = await connectRealtimeUpstream(url, headers, {
      allowPrivateUpstreams: options.allowPrivateUpstreams,
      guardedLookup,
      handshakeTimeoutMs: settings.connectTimeoutMs,
      maxPayloadBytes: settings.maxPayloadBytes,
      signal,
    });
    if (result.kind === 'open') {
      record(101, null);
      services.health.report(channel.id, plan.keyId, 'success', probe);
      services.metrics.countUpstreamAttempt('ok');
      settlement.firstByteAt = Date.now();
      return { socket: result.socket, earlyFrames: result.earlyFrames };
    }
    if (result.kind === 'unreachable') {
      const error = transportFailure(result.error);
      if (!signal.aborted) {
        logger.warn('realtime upstream connect failed', { requestId: settlement.context.requestId, channelId: channel.id, error: describeError(result.error) });
        record(null, error.code);
        services.health.report(channel.id, plan.keyId, 'failure', probe);
        services.metrics.countUpstreamAttempt(error.code);
      } else record(null, 'client_aborted');
      return { error, retryable: true };
    }
    const status = mapUpstreamStatus(result.status, channel.statusCodeMapping);
    const failure = chat.normaliseError(status, result.bodyText, [apiKey, channel.baseUrl, url.httpUrl.host]);
    const judged = upstreamFailureResult(result.status, status, result.bodyText, failure.error, retryOnStatus);
    if (judged.kind === 'done') return { error: failure.error, retryable: false };
    logger.warn('realtime upstream refused the handshake', { requestId: settlement.context.requestId, channelId: channel.id, keyId: plan.keyId, status: result.status });
    record(result.status, failure.error.code);
    services.health.report(channel.id, plan.keyId, judged.outcome, probe);
    if (judged.disableKey) void services.health.disableKey(channel.id, plan.keyId);
    services.metrics.countUpstreamAttempt(failure.error.code);
    return { error: failure.error, retryable: judged.kind === 'retry' };
  }

  async function handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer, signal: AbortSignal): Promise<void> {
    const requestId = createRequestId();
    const startedAt = Date.now();
    const idHeader = { 'x-request-id': requestId };
    const url = new URL(request.url ?? '/', 'http://gateway.invalid');
    if (!REALTIME_PATHS.has(url.pathname)) {
      refuseUpgrade(socket, new RelayError('not_found', `Unknown endpoint ${request.method ?? 'GET'} ${url.pathname}.`), idHeader);
      return;
    }
    if (closing) {
      refuseUpgrade(socket, new RelayError('service_unavailable', 'The gateway is shutting down. Please reconnect.'), idHeader);
      return;
    }
    if (!isWebSocketHandshake(request.method, request.headers)) {
      refuseUpgrade(socket, new RelayError('invalid_request', 'This endpoint expects a WebSocket upgrade (GET with Upgrade: websocket, version 13).'), idHeader);
      return;
    }
    const settings = readSettings();
    let admitted: Admitted;
    let ticket: LimitTicket;
    try {
      const query = parseQuery(url.search.slice(1));
      const key = readRealtimeKey(request.headers, query, offeredSubprotocols(request.headers));
      const auth = await authenticateApiKey(services.records, key, request.socket.remoteAddress ?? '');
      admitted = admit(url, requestId, auth);
      const admission = await services.limiter.admit(requestLimitScopes(admitted.snapshot, auth.token, auth.user, auth.clientIp), requestId, 0);
      if (!admission.admitted) {
        const { refusal } = admission;
        refuseUpgrade(socket, new RelayError('rate_limited', `Rate limit reached: too many ${refusal.kind === 'concurrency' ? 'concurrent sessions' : 'requests'}. Retry after ${refusal.retryAfterSeconds} s.`), {
          ...idHeader,
          'Retry-After': String(refusal.retryAfterSeconds),
        });
        return;
      }
      ticket = admission.ticket;
    } catch (error) {
      if (!(error instanceof RelayError)) logger.error('realtime admission failed', { requestId, error: describeError(error) });
      refuseUpgrade(socket, asRelayError(error), idHeader);
      return;
    }

    // Money: the session's reservation, taken before anything is dialled.
    const { auth, price, multiplier, model, snapshot } = admitted;
    const ledger = services.billing ? { wallet: services.wallet, emitter: services.usage } : null;
    const amount =
      ledger && price
        ? computeCost({ promptTokens: settings.sessionReserveTokens, completionTokens: settings.sessionReserveTokens, cacheReadTokens: 0, cacheWriteTokens: 0 }, price, multiplier).total
        : 0;
    try {
      if (ledger) {
        await ledger.wallet.reserve({ requestId, userId: auth.user.id, tokenId: auth.token.id, amount, model, group: auth.group, quotaLimited: auth.token.quotaLimited });
      }
    } catch (error) {
      void ticket.release(null).catch(() => undefined);
      refuseUpgrade(socket, asRelayError(error), idHeader);
      return;
    }
    const settlement = new Settlement(
      {
        requestId,
        userId: auth.user.id,
        tokenId: auth.token.id,
        model,
        endpoint: REALTIME_ENDPOINT,
        stream: true,
        reserved: amount,
        price,
        multiplier,
        snapshotVersion: snapshot.version,
        startedAt,
        clientIp: auth.clientIp,
      },
      ledger,
    );
    const closeVoid = async (error: RelayError | ClientAbortedError) => {
      const closingMoney = settlement.finish(voidOutcome(error));
      services.inFlight.add(closingMoney);
      await closingMoney.finally(() => services.inFlight.delete(closingMoney));
      await ticket.release(null).catch(() => undefined);
    };

    // The client leaving while we dial aborts the dial.
    const clientGone = new AbortController();
    const onClientGone = () => clientGone.abort();
    socket.once('close', onClientGone);
    signal.addEventListener('abort', onClientGone);
    let opened: OpenedUpstream;
    try {
      opened = await openUpstream(admitted, settlement, request, settings, clientGone.signal);
    } catch (error) {
      socket.off('close', onClientGone);
      signal.removeEventListener('abort', onClientGone);
      const failure = error instanceof ClientAbortedError ? error : asRelayError(error);
      if (!(error instanceof RelayError) && !(error instanceof ClientAbortedError)) logger.error('realtime upstream open failed', { requestId, error: describeError(error) });
      await closeVoid(failure);
      if (signal.aborted) refuseUpgrade(socket, new RelayError('service_unavailable', 'The gateway is shutting down. Please reconnect.'), idHeader);
      else if (failure instanceof RelayError) {
        const retryAfter = String(services.health.retryAfterSeconds(admitted.tiers.flatMap((tier) => tier.channels.map((entry) => entry.channelId)), Date.now()));
        refuseUpgrade(socket, failure, failure.status >= 500 ? { ...idHeader, 'Retry-After': retryAfter } : idHeader);
      } else socket.destroy();
      return;
    }
    socket.off('close', onClientGone);
    signal.removeEventListener('abort', onClientGone);

    if (!socket.readable || !socket.writable || closing) {
      opened.socket.terminate();
      await closeVoid(closing ? new RelayError('service_unavailable', 'The gateway is shutting down.') : new ClientAbortedError());
      if (closing) refuseUpgrade(socket, new RelayError('service_unavailable', 'The gateway is shutting down. Please reconnect.'), idHeader);
      else socket.destroy();
      return;
    }
    requestIds.set(request, requestId);
    let session: RealtimeSession | null = null;
    webSocketServer.handleUpgrade(request, socket, head, (client) => {
      session = new RealtimeSession(client, opened.socket, settlement, ticket, { ...settings, budgeted: ledger !== null }, opened.earlyFrames);
    });
    // ws calls back synchronously (no verifyClient); no callback means it refused the handshake itself.
    const started = session as RealtimeSession | null;
    if (!started) {
      opened.socket.terminate();
      await closeVoid(new RelayError('invalid_request', 'The WebSocket handshake was refused.'));
      return;
    }
    sessions.add(started);
    services.metrics.activeStreams += 1;
    const done = started.done.finally(() => {
      sessions.delete(started);
      services.metrics.activeStreams -= 1;
      services.inFlight.delete(done);
    });
    services.inFlight.add(done);
  }

  const onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    const controller = new AbortController();
    const work = handleUpgrade(request, socket, head, controller.signal)
      .catch((error: unknown) => {
        logger.error('realtime upgrade failed', { error: describeError(error) });
        socket.destroy();
      })
      .finally(() => handshakes.delete(work));
    handshakes.set(work, controller);
  };
  return {
    onUpgrade,
    get openSessions() {
      return sessions.size;
    },
    async close() {
      closing = true;
      for (const controller of handshakes.values()) controller.abort();
      await Promise.allSettled([...handshakes.keys()]);
      await Promise.allSettled([...sessions].map((session) => session.shutdown()));
      webSocketServer.close();
    },
  };
}
