// Gemini API endpoints (`/v1beta/models/...`) for callers that speak Gemini: generateContent and
// streamGenerateContent run the same chain as chat completions, with the body converted to OpenAI's after parsing and
// the client wire set first, so every answer — errors included — is in Gemini's shape. countTokens is a local estimate
// (no upstream call, no money); embedContent runs the embeddings chain (billed from upstream usage, else estimated) on
// the channels that serve embeddings; the model list/get show what the caller's key may route to.
import Router from '@koa/router';
import type { AuthState, BodyState, DataPlaneServices, RelayState, RequestIdState, SnapshotState, StateMiddleware } from '../context';
import { koaAuth } from '../middleware/koa-auth';
import { koaBody } from '../middleware/koa-body';
import { koaChatGuard } from '../middleware/koa-chat-guard';
import { koaEndpointBody, koaEndpointGuard, koaEndpointReserve, type EndpointBodyState, type EndpointRelayState } from '../middleware/koa-endpoint-guard';
import { koaGovernance } from '../middleware/koa-governance';
import { koaLimits } from '../middleware/koa-limits';
import { koaReserve } from '../middleware/koa-reserve';
import { koaSnapshot } from '../middleware/koa-snapshot';
import { convertGeminiEmbedRequestToOpenAi, convertGeminiRequestToOpenAi, convertOpenAiEmbeddingToGemini, geminiClientWire } from '../providers/gemini';
import { relayChat } from '../relay/chat-relay';
import { convertLeniently } from '../relay/client-wire';
import { relayEndpoint } from '../relay/endpoint-relay';
import { assertThat, RelayError } from '../relay/relay-error';
import { routableModels, routeTiers } from '../relay/route-planner';
import { estimateTokensFromBytes } from '../relay/usage-meter';

const GEMINI_PREFIX = '/v1beta';
const GENERATION_METHODS = ['generateContent', 'streamGenerateContent', 'countTokens'];

function koaGeminiWire(): StateMiddleware<RequestIdState> {
  return async (ctx, next) => {
    ctx.state.clientWire = geminiClientWire;
    await next();
  };
}

/**
 * Gemini body -> OpenAI body in place (model from the path); the byte count (for the reservation) stays the caller's.
 * The caller's own body is kept on the client wire for gemini-type channels (native); what only Gemini carries is
 * left out of the converted body, and only a converted attempt refuses it.
 */
function koaGeminiRequest(stream: boolean): StateMiddleware<RequestIdState & BodyState> {
  return async (ctx, next) => {
    // Without alt=sse Gemini streams one JSON array; callers' SDKs ask for SSE, so only that is served.
    if (stream && ctx.query.alt !== 'sse') {
      throw new RelayError('invalid_request', 'streamGenerateContent is served as server-sent events only: add ?alt=sse to the URL.', 'alt');
    }
    const model = String(ctx.params.model ?? '');
    const original = ctx.state.body.json;
    const convert = (request: Record<string, unknown>) => convertGeminiRequestToOpenAi(request, model, stream);
    const conversion = convertLeniently(original, convert);
    if (!conversion) {
      const strict = convert(structuredClone(original));
      const problem = strict.ok ? { message: 'The request cannot be read.', param: '' } : strict.problem;
      throw new RelayError('invalid_request', problem.message, problem.param || undefined);
    }
    if (ctx.state.clientWire) ctx.state.clientWire = { ...ctx.state.clientWire, originalBody: original, conversionProblem: conversion.problem };
    ctx.state.body = { json: conversion.body, bytes: ctx.state.body.bytes };
    await next();
  };
}

/** Gemini embedContent body -> OpenAI embeddings body in place (model from the path), before the embeddings guard. */
function koaGeminiEmbedRequest(): StateMiddleware<EndpointBodyState> {
  return async (ctx, next) => {
    const payload = ctx.state.endpointBody.payload;
    if (payload.kind !== 'json') throw new RelayError('unsupported_media_type', 'embedContent expects a JSON body.');
    const conversion = convertGeminiEmbedRequestToOpenAi(payload.json, String(ctx.params.model ?? ''));
    if (!conversion.ok) throw new RelayError('invalid_request', conversion.problem.message, conversion.problem.param);
    // Both views: the embeddings guard reads the model from the shared body, the relay sends the payload.
    ctx.state.endpointBody = { ...ctx.state.endpointBody, payload: { kind: 'json', json: conversion.body } };
    ctx.state.body = { json: conversion.body, bytes: ctx.state.body.bytes };
    await next();
  };
}

/** The embeddings relay (it settles from the upstream's usage), then the OpenAI reply reshaped as Gemini's. */
function relayEmbedding(services: DataPlaneServices): StateMiddleware<EndpointRelayState> {
  return async (ctx) => {
    const work = relayEndpoint(ctx, services);
    services.inFlight.add(work);
    try {
      await work;
    } finally {
      services.inFlight.delete(work);
    }
    if (ctx.status !== 200 || !Buffer.isBuffer(ctx.body)) return;
    let reply: unknown = null;
    try {
      reply = JSON.parse(ctx.body.toString('utf8'));
    } catch {
      reply = null;
    }
    const converted = convertOpenAiEmbeddingToGemini(reply);
    if (!converted) throw new RelayError('upstream_error', 'The upstream provider sent an unreadable embedding.');
    ctx.type = 'application/json';
    ctx.body = converted;
  };
}

function modelEntry(id: string) {
  return { name: `models/${id}`, baseModelId: id, displayName: id, supportedGenerationMethods: GENERATION_METHODS };
}

/** The model in the path, checked like the chat guard checks it (token allow-list, a route for the group). */
function assertModelUsable(state: SnapshotState & AuthState, model: string): void {
  const { snapshot, auth } = state;
  assertThat(auth.token.models === null || auth.token.models.includes(model), 'model_not_allowed', `This API key may not use the model "${model}".`, 'model');
  assertThat(
    routableModels(snapshot, auth.group, auth.token.models).includes(model) && routeTiers(snapshot, auth.group, model),
    'model_not_found',
    `The model "${model}" does not exist or you do not have access to it.`,
    'model',
  );
}

export function createGeminiRouter(services: DataPlaneServices): Router<RelayState & EndpointRelayState> {
  const router = new Router<RelayState & EndpointRelayState>();
  const wire = koaGeminiWire();
  const auth = koaAuth(services.records);
  const snapshot = koaSnapshot(services.snapshots);
  const body = koaBody();
  const governance = koaGovernance(services);
  const guard = koaChatGuard();
  const limits = koaLimits(services);
  const reserve = koaReserve(services);
  const relay: StateMiddleware<RelayState> = async (ctx) => {
    const work = relayChat(ctx, services);
    services.inFlight.add(work);
    try {
      await work;
    } finally {
      services.inFlight.delete(work);
    }
  };

  router.post(`${GEMINI_PREFIX}/models/:model\\:generateContent`, wire, auth, snapshot, body, koaGeminiRequest(false), governance, guard, limits, reserve, relay);
  router.post(`${GEMINI_PREFIX}/models/:model\\:streamGenerateContent`, wire, auth, snapshot, body, koaGeminiRequest(true), governance, guard, limits, reserve, relay);

  const embedBody = koaEndpointBody('embeddings');
  const embedConvert = koaGeminiEmbedRequest();
  const embedGuard = koaEndpointGuard('embeddings');
  const embedReserve = koaEndpointReserve(services);
  router.post(`${GEMINI_PREFIX}/models/:model\\:embedContent`, wire, auth, snapshot, embedBody, embedConvert, governance, embedGuard, limits, embedReserve, relayEmbedding(services));

  router.post(`${GEMINI_PREFIX}/models/:model\\:countTokens`, wire, auth, snapshot, body, (ctx) => {
    const model = String(ctx.params.model ?? '');
    assertModelUsable(ctx.state, model);
    // Local estimate from the request's own bytes: no upstream call, nothing reserved or charged.
    const json = ctx.state.body.json;
    const request = typeof json.generateContentRequest === 'object' && json.generateContentRequest !== null ? json.generateContentRequest : json;
    const { contents, systemInstruction, tools } = request as Record<string, unknown>;
    const bytes = Buffer.byteLength(JSON.stringify([contents ?? null, systemInstruction ?? null, tools ?? null]));
    ctx.body = { totalTokens: estimateTokensFromBytes(bytes) };
  });

  router.get(`${GEMINI_PREFIX}/models`, wire, auth, snapshot, (ctx) => {
    const { snapshot: current, auth: caller } = ctx.state;
    ctx.body = { models: routableModels(current, caller.group, caller.token.models).map(modelEntry) };
  });

  router.get(`${GEMINI_PREFIX}/models/:model`, wire, auth, snapshot, (ctx) => {
    const model = String(ctx.params.model ?? '');
    assertModelUsable(ctx.state, model);
    ctx.body = modelEntry(model);
  });

  // Registered last: only paths no route above served. Unknown Gemini methods answer in Gemini's shape too.
  router.all(`${GEMINI_PREFIX}/{*rest}`, wire, (ctx) => {
    throw new RelayError('not_found', `Unknown endpoint ${ctx.method} ${ctx.path}.`);
  });
  return router;
}
