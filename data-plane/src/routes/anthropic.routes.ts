// Anthropic Messages endpoints (`POST /v1/messages`, `/v1/messages/count_tokens`, and the /hf/v1 aliases). Messages
// run the same chain as chat completions, with the body converted to OpenAI's after parsing and the client wire set
// first, so every answer — errors included — is in Anthropic's shape; any channel type then serves it through the
// relay; an Anthropic-type channel gets the caller's own body instead (native pass-through, `anthropic-beta` and
// `anthropic-version` forwarded; `?beta=true` is dropped). count_tokens moves no money: it asks an Anthropic-type
// channel of the route when there is one, otherwise answers a local estimate.
import Router from '@koa/router';
import type { Dispatcher } from 'undici';
import type { AuthState, BodyState, DataPlaneServices, RelayState, RequestIdState, SnapshotState, StateMiddleware } from '../context';
import { koaAuth } from '../middleware/koa-auth';
import { koaBody } from '../middleware/koa-body';
import { koaChatGuard } from '../middleware/koa-chat-guard';
import { koaGovernance } from '../middleware/koa-governance';
import { koaLimits } from '../middleware/koa-limits';
import { koaReserve } from '../middleware/koa-reserve';
import { koaSnapshot } from '../middleware/koa-snapshot';
import { anthropicClientWire, convertAnthropicRequestToOpenAi } from '../providers/anthropic';
import { estimateInputTokens, prepareCountTokensCall, readCountTokensProblem, readCountTokensResponse } from '../providers/anthropic/anthropic-count-tokens';
import { normaliseAnthropicError } from '../providers/anthropic/normalise-anthropic-error';
import { describeError, logger } from '../observability/logger';
import { relayChat } from '../relay/chat-relay';
import { convertLeniently } from '../relay/client-wire';
import { assertThat, RelayError } from '../relay/relay-error';
import { planAttempt, routeTiers } from '../relay/route-planner';
import { OPENAI_PREFIXES } from './openai.routes';

function koaAnthropicWire(): StateMiddleware<RequestIdState> {
  return async (ctx, next) => {
    ctx.state.clientWire = anthropicClientWire;
    await next();
  };
}

/**
 * Anthropic body -> OpenAI body in place; the byte count (for the reservation) stays the caller's. The caller's own
 * body is kept on the client wire for Anthropic channels (native); what only Anthropic carries (thinking, top_k,
 * documents, server tools) is left out of the converted body, and only a converted attempt refuses it.
 */
function koaAnthropicRequest(): StateMiddleware<RequestIdState & BodyState> {
  return async (ctx, next) => {
    const original = ctx.state.body.json;
    const conversion = convertLeniently(original, convertAnthropicRequestToOpenAi);
    if (!conversion) {
      const strict = convertAnthropicRequestToOpenAi(structuredClone(original));
      const problem = strict.ok ? { message: 'The request cannot be read.', param: '' } : strict.problem;
      throw new RelayError('invalid_request', problem.message, problem.param || undefined);
    }
    if (ctx.state.clientWire) ctx.state.clientWire = { ...ctx.state.clientWire, originalBody: original, conversionProblem: conversion.problem };
    ctx.state.body = { json: conversion.body, bytes: ctx.state.body.bytes };
    await next();
  };
}

const MAX_COUNT_TOKENS_ATTEMPTS = 3;
const MAX_COUNT_TOKENS_REPLY_BYTES = 64 * 1024;

async function readLimitedText(body: Dispatcher.ResponseData['body']): Promise<string> {
  const parts: Buffer[] = [];
  let total = 0;
  for await (const chunk of body) {
    const buffer = chunk as Buffer;
    total += buffer.length;
    if (total > MAX_COUNT_TOKENS_REPLY_BYTES) break; // breaking destroys the body: no socket is held
    parts.push(buffer);
  }
  return Buffer.concat(parts).toString('utf8');
}

type CountTokensState = RequestIdState & SnapshotState & AuthState & BodyState;

/** A count is a quick call: give up after a few seconds, or at once when the caller has gone. */
const COUNT_TOKENS_TIMEOUT_MS = 15_000;

function countSignal(ctx: Parameters<StateMiddleware<CountTokensState>>[0]): AbortSignal {
  const controller = new AbortController();
  ctx.res.once('close', () => controller.abort());
  return AbortSignal.any([controller.signal, AbortSignal.timeout(COUNT_TOKENS_TIMEOUT_MS)]);
}

/**
 * Asks the route's Anthropic-type channels (in routing order) to count; null when none is routed or none answered.
 * A user-caused upstream 4xx is the caller's answer; channel trouble (5xx, 429, bad key, transport) tries the next.
 */
async function countTokensUpstream(ctx: Parameters<StateMiddleware<CountTokensState>>[0], services: DataPlaneServices, model: string): Promise<number | null> {
  const { snapshot, auth, body } = ctx.state;
  const tiers = routeTiers(snapshot, auth.group, model);
  if (!tiers) return null;
  const excluded = new Set<string>();
  let attempts = 0;
  for (;;) {
    const plan = planAttempt(snapshot, tiers, model, excluded);
    if (!plan) return null;
    excluded.add(plan.channel.id);
    if (plan.channel.type !== 'anthropic') continue;
    attempts += 1;
    if (attempts > MAX_COUNT_TOKENS_ATTEMPTS) return null;
    let apiKey: string;
    try {
      apiKey = services.snapshots.openKey(plan.sealedKey);
    } catch {
      logger.error('a channel key cannot be decrypted with CRYPTO_SECRET', { channelId: plan.channel.id });
      continue;
    }
    const call = prepareCountTokensCall(plan.channel.baseUrl, apiKey, body.json, plan.upstreamModel, ctx.get('user-agent') || null);
    try {
      const response = await services.fetcher.request({ url: call.url, method: 'POST', headers: call.headers, body: call.body, signal: countSignal(ctx) });
      const text = await readLimitedText(response.body);
      if (response.statusCode >= 200 && response.statusCode < 300) {
        const count = readCountTokensResponse(text);
        if (count !== null) return count;
        continue;
      }
      const failure = normaliseAnthropicError(response.statusCode, text, [apiKey, plan.channel.baseUrl]);
      if (!failure.retryable) throw failure.error;
    } catch (error) {
      if (error instanceof RelayError) throw error;
      logger.warn('count_tokens upstream attempt failed', { requestId: ctx.state.requestId, channelId: plan.channel.id, error: describeError(error) });
    }
  }
}

function koaCountTokens(services: DataPlaneServices): StateMiddleware<CountTokensState> {
  return async (ctx) => {
    const request = ctx.state.body.json;
    const problem = readCountTokensProblem(request);
    if (problem) throw new RelayError('invalid_request', problem.message, problem.param);
    const model = request.model as string;
    const { auth, snapshot } = ctx.state;
    assertThat(auth.token.models === null || auth.token.models.includes(model), 'model_not_allowed', `This API key may not use the model "${model}".`, 'model');
    assertThat(routeTiers(snapshot, auth.group, model), 'model_not_found', `The model "${model}" does not exist or you do not have access to it.`, 'model');
    const upstream = await countTokensUpstream(ctx, services, model);
    ctx.body = { input_tokens: upstream ?? estimateInputTokens(request) };
  };
}

export function createAnthropicRouter(services: DataPlaneServices): Router<RelayState> {
  const router = new Router<RelayState>();
  const wire = koaAnthropicWire();
  const auth = koaAuth(services.records);
  const snapshot = koaSnapshot(services.snapshots);
  const body = koaBody();
  const convert = koaAnthropicRequest();
  const governance = koaGovernance(services);
  const guard = koaChatGuard();
  const limits = koaLimits(services);
  const reserve = koaReserve(services);
  const countTokens = koaCountTokens(services);

  for (const prefix of OPENAI_PREFIXES) {
    // Governance and the caller's rate limits apply here too: this call reaches upstream with the operator's key.
    router.post(`${prefix}/messages/count_tokens`, wire, auth, snapshot, body, governance, limits, countTokens);
    router.post(`${prefix}/messages`, wire, auth, snapshot, body, convert, governance, guard, limits, reserve, async (ctx) => {
      const work = relayChat(ctx, services);
      services.inFlight.add(work);
      try {
        await work;
      } finally {
        services.inFlight.delete(work);
      }
    });
  }
  return router;
}
