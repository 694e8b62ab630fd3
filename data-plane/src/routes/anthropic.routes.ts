// Anthropic Messages endpoint (`POST /v1/messages`, `/hf/v1/messages`) served by OpenAI-wire channels: the same chain
// as chat completions, with the body converted to OpenAI's after parsing and the client wire set first, so every
// answer — errors included — is in Anthropic's shape. `?beta=true` and `anthropic-beta` need nothing from us.
import Router from '@koa/router';
import type { BodyState, DataPlaneServices, RelayState, RequestIdState, StateMiddleware } from '../context';
import { koaAuth } from '../middleware/koa-auth';
import { koaBody } from '../middleware/koa-body';
import { koaChatGuard } from '../middleware/koa-chat-guard';
import { koaReserve } from '../middleware/koa-reserve';
import { koaSnapshot } from '../middleware/koa-snapshot';
import { anthropicClientWire, convertAnthropicRequestToOpenAi } from '../providers/anthropic';
import { relayChat } from '../relay/chat-relay';
import { RelayError } from '../relay/relay-error';
import { OPENAI_PREFIXES } from './openai.routes';

function koaAnthropicWire(): StateMiddleware<RequestIdState> {
  return async (ctx, next) => {
    ctx.state.clientWire = anthropicClientWire;
    await next();
  };
}

/** Anthropic body -> OpenAI body in place; the byte count (for the reservation) stays the caller's. */
function koaAnthropicRequest(): StateMiddleware<BodyState> {
  return async (ctx, next) => {
    const conversion = convertAnthropicRequestToOpenAi(ctx.state.body.json);
    if (!conversion.ok) throw new RelayError('invalid_request', conversion.problem.message, conversion.problem.param);
    ctx.state.body = { json: conversion.body, bytes: ctx.state.body.bytes };
    await next();
  };
}

export function createAnthropicRouter(services: DataPlaneServices): Router<RelayState> {
  const router = new Router<RelayState>();
  const wire = koaAnthropicWire();
  const auth = koaAuth(services.records);
  const snapshot = koaSnapshot(services.snapshots);
  const body = koaBody();
  const convert = koaAnthropicRequest();
  const guard = koaChatGuard();
  const reserve = koaReserve(services);

  for (const prefix of OPENAI_PREFIXES) {
    router.post(`${prefix}/messages`, wire, auth, snapshot, body, convert, guard, reserve, async (ctx) => {
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
