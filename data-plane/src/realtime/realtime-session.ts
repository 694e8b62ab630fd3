// One upgraded Realtime session: relays frames both ways unchanged (text stays text, binary stays binary) with
// backpressure, keeps both sides alive with pings, meters usage from upstream `response.done` events, stops before the
// reservation runs out, closes both sides together and settles exactly once however it ends.
import { computeCost, type TokenUsage } from '@nebulagate/schema';
import type WebSocket from 'ws';
import type { RawData } from 'ws';
import type { Settlement, SettlementOutcome } from '../billing/settlement';
import type { LimitTicket } from '../limits/rate-limiter';
import { describeError, logger } from '../observability/logger';
import { CLOSE_GOING_AWAY, CLOSE_INTERNAL_ERROR, CLOSE_POLICY_VIOLATION, forwardedCloseCode, safeCloseReason } from './realtime-close-code';
import { addUsage, budgetAllowsAnotherResponse, readResponseDoneUsage } from './realtime-usage';

/** Pause the sending side when this much is queued towards the other side; resume below the low mark. */
const HIGH_WATER_BYTES = 4 * 1024 * 1024;
const LOW_WATER_BYTES = 1024 * 1024;
/** After sending our close frame, how long the other side gets to answer before the socket is cut. */
const CLOSE_HANDSHAKE_MS = 5_000;

const ZERO_USAGE: TokenUsage = { promptTokens: 0, completionTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0 };

export interface RealtimeSessionOptions {
  keepaliveIntervalMs: number;
  /** Sessions end before their reservation could be swept. */
  maxDurationMs: number;
  /** False with billing off (nothing reserved): usage is still metered, the budget is not enforced. */
  budgeted: boolean;
}

type EndCause = 'client' | 'upstream' | 'budget' | 'keepalive' | 'duration' | 'shutdown' | 'error';

function asBuffer(data: RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.from(data);
}

/** Forwards frames from `source` to `target`, pausing `source` while `target` has too much queued. */
class FrameRelay {
  private queuedBytes = 0;

  constructor(
    private readonly source: WebSocket,
    private readonly target: WebSocket,
  ) {}

  forward(frame: Buffer, binary: boolean): void {
    if (this.target.readyState !== this.target.OPEN) return;
    this.queuedBytes += frame.length;
    this.target.send(frame, { binary }, () => {
      this.queuedBytes -= frame.length;
      if (this.source.isPaused && this.queuedBytes < LOW_WATER_BYTES && this.source.readyState === this.source.OPEN) this.source.resume();
    });
    if (this.queuedBytes > HIGH_WATER_BYTES && !this.source.isPaused) this.source.pause();
  }
}

export class RealtimeSession {
  private usage: TokenUsage = ZERO_USAGE;
  private responses = 0;
  private costliestResponse = 0;
  private cause: EndCause | null = null;
  private upstreamFailed = false;
  private clientCloseCode: number | null = null;
  private readonly finished: Promise<void>;
  private resolveFinished!: () => void;
  private keepalive: NodeJS.Timeout | null = null;
  private durationTimer: NodeJS.Timeout | null = null;
  private clientAlive = true;
  private upstreamAlive = true;
  private clientClosed = false;
  private upstreamClosed = false;
  private cutTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly client: WebSocket,
    private readonly upstream: WebSocket,
    private readonly settlement: Settlement,
    private readonly limitTicket: LimitTicket,
    private readonly options: RealtimeSessionOptions,
    /** Frames the upstream sent before the client upgrade completed (session.created). */
    earlyFrames: Array<{ frame: Buffer; binary: boolean }>,
  ) {
    this.finished = new Promise((resolve) => {
      this.resolveFinished = resolve;
    });
    const toUpstream = new FrameRelay(client, upstream);
    const toClient = new FrameRelay(upstream, client);
    upstream.removeAllListeners('message');
    client.on('message', (data, binary) => {
      this.clientAlive = true;
      toUpstream.forward(asBuffer(data), binary);
    });
    upstream.on('message', (data, binary) => {
      this.upstreamAlive = true;
      const frame = asBuffer(data);
      toClient.forward(frame, binary);
      if (!binary) this.meter(frame);
    });
    for (const early of earlyFrames) {
      toClient.forward(early.frame, early.binary);
      if (!early.binary) this.meter(early.frame);
    }
    upstream.resume();
    client.on('pong', () => {
      this.clientAlive = true;
    });
    upstream.on('pong', () => {
      this.upstreamAlive = true;
    });
    client.on('close', (code, reason) => this.onClosed('client', code, reason.toString('utf8')));
    upstream.on('close', (code, reason) => this.onClosed('upstream', code, reason.toString('utf8')));
    client.on('error', (error) => {
      logger.warn('realtime client socket error', { requestId: settlement.context.requestId, error: describeError(error) });
      this.end('client', CLOSE_GOING_AWAY, 'client error');
    });
    upstream.on('error', (error) => {
      this.upstreamFailed = true;
      logger.warn('realtime upstream socket error', { requestId: settlement.context.requestId, channelId: settlement.channelId, error: describeError(error) });
      this.end('upstream', CLOSE_INTERNAL_ERROR, 'upstream error');
    });
    this.keepalive = setInterval(() => this.ping(), options.keepaliveIntervalMs);
    this.keepalive.unref();
    this.durationTimer = setTimeout(() => this.endWithError('duration', 'session_expired', 'The realtime session reached its maximum duration.'), options.maxDurationMs);
    this.durationTimer.unref();
    if (client.readyState !== client.OPEN) this.onClosed('client', 1006, '');
    if (upstream.readyState === upstream.CLOSED) this.onClosed('upstream', 1006, '');
  }

  /** Resolves once both sides are closed and the money is settled. */
  get done(): Promise<void> {
    return this.finished;
  }

  /** Server shutdown: tell the client, close both sides, settle. */
  shutdown(): Promise<void> {
    this.end('shutdown', CLOSE_GOING_AWAY, 'server shutting down');
    return this.finished;
  }

  private meter(frame: Buffer): void {
    const read = readResponseDoneUsage(frame);
    if (!read) return;
    const context = this.settlement.context;
    this.responses += 1;
    this.usage = addUsage(this.usage, read.usage);
    if (!context.price || !this.options.budgeted) return;
    const responseCost = computeCost(read.usage, context.price, context.multiplier).total;
    this.costliestResponse = Math.max(this.costliestResponse, responseCost);
    const spent = computeCost(this.usage, context.price, context.multiplier).total;
    if (!budgetAllowsAnotherResponse(context.reserved, spent, this.costliestResponse)) {
      this.endWithError('budget', 'insufficient_quota', 'The realtime session used up the credits reserved for it. Open a new session to continue.');
    }
  }

  /** Sends an OpenAI-style `error` event to the client, then closes with 1008. */
  private endWithError(cause: EndCause, code: string, message: string): void {
    if (this.cause) return;
    if (this.client.readyState === this.client.OPEN) {
      const event = { type: 'error', event_id: `event_${this.settlement.context.requestId}`, error: { type: code === 'insufficient_quota' ? 'insufficient_quota' : 'invalid_request_error', code, message, param: null, event_id: null } };
      this.client.send(JSON.stringify(event));
    }
    this.end(cause, CLOSE_POLICY_VIOLATION, code);
  }

  private ping(): void {
    for (const [socket, alive, side] of [
      [this.client, this.clientAlive, 'client'],
      [this.upstream, this.upstreamAlive, 'upstream'],
    ] as const) {
      if (socket.readyState !== socket.OPEN) continue;
      if (!alive) {
        this.end('keepalive', CLOSE_GOING_AWAY, `${side} keepalive timeout`);
        if (side === 'upstream') this.upstreamFailed = true;
        socket.terminate();
        return;
      }
      socket.ping();
    }
    this.clientAlive = false;
    this.upstreamAlive = false;
  }

  private onClosed(side: 'client' | 'upstream', code: number, reason: string): void {
    if (side === 'client') {
      this.clientClosed = true;
      this.clientCloseCode ??= code;
    } else this.upstreamClosed = true;
    if (side === 'upstream' && code === 1006) this.upstreamFailed = true;
    // The first side to close ends the session; its close code goes on to the other side.
    this.end(side, forwardedCloseCode(code, side === 'upstream'), reason);
    if (this.clientClosed && this.upstreamClosed) void this.settle();
  }

  private end(cause: EndCause, code: number, reason: string): void {
    if (!this.cause) this.cause = cause;
    if (this.keepalive) clearInterval(this.keepalive);
    if (this.durationTimer) clearTimeout(this.durationTimer);
    const safeReason = safeCloseReason(reason);
    for (const socket of [this.client, this.upstream]) {
      if (socket.readyState === socket.OPEN || socket.readyState === socket.CONNECTING) socket.close(code, safeReason);
    }
    // A side that never answers our close frame is cut, so the session always settles.
    this.cutTimer ??= setTimeout(() => {
      this.client.terminate();
      this.upstream.terminate();
    }, CLOSE_HANDSHAKE_MS);
    this.cutTimer.unref();
  }

  private async settle(): Promise<void> {
    if (this.cutTimer) clearTimeout(this.cutTimer);
    const cause = this.cause ?? 'error';
    const outcome: SettlementOutcome = {
      // A client that vanished (no close frame) aborted; it still pays for what was used.
      status: this.upstreamFailed ? 'error' : cause === 'client' && this.clientCloseCode === 1006 ? 'client_aborted' : 'success',
      httpStatus: 101,
      usage: this.usage,
      estimated: false,
      // A session that produced no response costs nothing (not even a per-call price).
      void: this.responses === 0,
      errorCode: this.upstreamFailed ? 'upstream_error' : cause === 'budget' ? 'insufficient_quota' : cause === 'duration' ? 'session_expired' : null,
    };
    try {
      await this.settlement.finish(outcome);
    } catch (error) {
      logger.error('realtime settlement failed', { requestId: this.settlement.context.requestId, error: describeError(error) });
    }
    await this.limitTicket.release(this.usage.promptTokens + this.usage.completionTokens).catch((error: unknown) => {
      logger.warn('rate limit release failed', { requestId: this.settlement.context.requestId, error: describeError(error) });
    });
    this.resolveFinished();
  }
}
