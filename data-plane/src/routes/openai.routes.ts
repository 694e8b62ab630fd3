// OpenAI-compatible endpoints, mounted at /v1 and at the /hf/v1 alias. Every route runs the same middleware chain
// order, written out here in one place: auth -> snapshot -> body -> guard -> reserve -> relay.
import Router from '@koa/router';
import type { DataPlaneServices, RelayState } from '../context';
import { koaAuth } from '../middleware/koa-auth';
import { koaBody } from '../middleware/koa-body';
import { koaChatGuard } from '../middleware/koa-chat-guard';
import { koaGovernance } from '../middleware/koa-governance';
import { koaLimits } from '../middleware/koa-limits';
import { koaReserve } from '../middleware/koa-reserve';
import { koaSnapshot } from '../middleware/koa-snapshot';
import { relayChat } from '../relay/chat-relay';
import { RelayError } from '../relay/relay-error';
import { routableModels } from '../relay/route-planner';
import { anthropicModelInfo, anthropicModelPage, koaAnthropicModelsWire } from '../providers/anthropic/anthropic-model-list';

export const OPENAI_PREFIXES = ['/v1', '/hf/v1'] as const;

/** `created` is required by the OpenAI list shape; the snapshot has no per-model date, so a fixed epoch is used. */
const MODEL_CREATED_AT = 1_700_000_000;

export function createOpenAiRouter(services: DataPlaneServices): Router<RelayState> {
  const router = new Router<RelayState>();
  const auth = koaAuth(services.records);
  const snapshot = koaSnapshot(services.snapshots);
  const body = koaBody();
  const governance = koaGovernance(services);
  const guard = koaChatGuard();
  const limits = koaLimits(services);
  const reserve = koaReserve(services);
  const anthropicModelsWire = koaAnthropicModelsWire();

  for (const prefix of OPENAI_PREFIXES) {
    router.post(`${prefix}/chat/completions`, auth, snapshot, body, governance, guard, limits, reserve, async (ctx) => {
      const work = relayChat(ctx, services);
      services.inFlight.add(work);
      try {
        await work;
      } finally {
        services.inFlight.delete(work);
      }
    });

    // Anthropic clients (anthropic-version header) get Anthropic's list shape, errors included.
    router.get(`${prefix}/models`, anthropicModelsWire, auth, snapshot, (ctx) => {
      const { snapshot: current, auth: caller } = ctx.state;
      const models = routableModels(current, caller.group, caller.token.models);
      if (ctx.state.clientWire) {
        const reading = anthropicModelPage(models, ctx.query, MODEL_CREATED_AT);
        if (!reading.ok) throw new RelayError('invalid_request', reading.message, reading.param);
        ctx.body = reading.page;
        return;
      }
      ctx.body = { object: 'list', data: models.map((id) => ({ id, object: 'model', created: MODEL_CREATED_AT, owned_by: 'nebulagate' })) };
    });

    router.get(`${prefix}/models/:model`, anthropicModelsWire, auth, snapshot, (ctx) => {
      const { snapshot: current, auth: caller } = ctx.state;
      const id = ctx.params.model ?? '';
      if (!routableModels(current, caller.group, caller.token.models).includes(id)) {
        throw new RelayError('model_not_found', `The model "${id}" does not exist or you do not have access to it.`, 'model');
      }
      ctx.body = ctx.state.clientWire ? anthropicModelInfo(id, MODEL_CREATED_AT) : { id, object: 'model', created: MODEL_CREATED_AT, owned_by: 'nebulagate' };
    });
  }
  return router;
}
