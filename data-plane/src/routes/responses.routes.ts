// OpenAI Responses endpoint (`POST /v1/responses`, `/hf/v1/responses`) served by chat-only channels: the chat chain
// with the body converted to chat after parsing and a per-request client wire, so the reply, the stream and every error
// are in the Responses shape. Nothing is stored: retrieve / delete / cancel / input_items answer 404.
import Router from '@koa/router';
import type { BodyState, DataPlaneServices, RelayState, RequestIdState, StateMiddleware } from '../context';
import { koaAuth } from '../middleware/koa-auth';
import { koaBody } from '../middleware/koa-body';
import { koaChatGuard } from '../middleware/koa-chat-guard';
import { koaGovernance } from '../middleware/koa-governance';
import { koaLimits } from '../middleware/koa-limits';
import { koaReserve } from '../middleware/koa-reserve';
import { koaSnapshot } from '../middleware/koa-snapshot';
import { convertResponsesRequestToOpenAi, createResponsesClientWire } from '../providers/openai-responses';
import { relayChat } from '../relay/chat-relay';
import { RelayError } from '../relay/relay-error';
import { estimateTokensFromBytes } from '../relay/usage-meter';
import { OPENAI_PREFIXES } from './openai.routes';

const NOT_STORED = 'Responses are not stored by this gateway, so they cannot be retrieved, deleted, cancelled or listed.';

/** Responses body -> chat body in place, and the client wire that answers in the Responses shape. */
function koaResponsesRequest(): StateMiddleware<RequestIdState & BodyState> {
  return async (ctx, next) => {
    const conversion = convertResponsesRequestToOpenAi(ctx.state.body.json);
    if (!conversion.ok) throw new RelayError('invalid_request', conversion.problem.message, conversion.problem.param);
    ctx.state.clientWire = createResponsesClientWire(conversion.echo);
    // The byte count (for the reservation) stays the caller's.
    ctx.state.body = { json: conversion.body, bytes: ctx.state.body.bytes };
    await next();
  };
}

function notStored(): never {
  throw new RelayError('not_found', NOT_STORED);
}

export function createResponsesRouter(services: DataPlaneServices): Router<RelayState> {
  const router = new Router<RelayState>();
  const auth = koaAuth(services.records);
  const snapshot = koaSnapshot(services.snapshots);
  const body = koaBody();
  const convert = koaResponsesRequest();
  const governance = koaGovernance(services);
  const guard = koaChatGuard();
  const limits = koaLimits(services);
  const reserve = koaReserve(services);

  for (const prefix of OPENAI_PREFIXES) {
    router.post(`${prefix}/responses`, auth, snapshot, body, convert, governance, guard, limits, reserve, async (ctx) => {
      const work = relayChat(ctx, services);
      services.inFlight.add(work);
      try {
        await work;
      } finally {
        services.inFlight.delete(work);
      }
    });

    // A local estimate (UTF-8 bytes of the converted messages and tools / 4), not a tokenizer count; free of charge.
    router.post(`${prefix}/responses/input_tokens`, auth, snapshot, body, (ctx) => {
      const json = ctx.state.body.json;
      const conversion = convertResponsesRequestToOpenAi({ ...json, model: json.model ?? 'input-tokens', input: json.input ?? '' });
      if (!conversion.ok) throw new RelayError('invalid_request', conversion.problem.message, conversion.problem.param);
      const { messages, tools } = conversion.body;
      const bytes = Buffer.byteLength(JSON.stringify({ messages, tools: tools ?? null }));
      ctx.body = { object: 'response.input_tokens', input_tokens: estimateTokensFromBytes(bytes) };
    });

    router.get(`${prefix}/responses/:id`, auth, notStored);
    router.delete(`${prefix}/responses/:id`, auth, notStored);
    router.post(`${prefix}/responses/:id/cancel`, auth, notStored);
    router.get(`${prefix}/responses/:id/input_items`, auth, notStored);
  }
  return router;
}
