// Validates an OpenAI chat request at the edge and resolves what it will cost to route: token model allow-list,
// route for the caller's group, price. Everything here fails with a 4xx before money moves.
import type { AuthState, BodyState, ChatState, SnapshotState, StateMiddleware } from '../context';
import { readChatRequest } from '../providers/openai';
import { assertThat, RelayError } from '../relay/relay-error';
import { routeTiers } from '../relay/route-planner';

export function koaChatGuard(): StateMiddleware<SnapshotState & AuthState & BodyState & ChatState> {
  return async (ctx, next) => {
    const reading = readChatRequest(ctx.state.body.json);
    if (!reading.ok) throw new RelayError('invalid_request', reading.problem.message, reading.problem.param);
    const request = reading.request;
    const { snapshot, auth } = ctx.state;
    const model = request.model;
    assertThat(
      auth.token.models === null || auth.token.models.includes(model),
      'model_not_allowed',
      `This API key may not use the model "${model}".`,
      'model',
    );
    const tiers = routeTiers(snapshot, auth.group, model);
    assertThat(tiers, 'model_not_found', `The model "${model}" does not exist or you do not have access to it.`, 'model');
    const price = snapshot.prices[model] ?? null;
    assertThat(
      price !== null || snapshot.settings.allowUnpricedModels,
      'model_not_allowed',
      `The model "${model}" has no price configured yet, so it cannot be used. Ask an administrator to set its price.`,
      'model',
    );
    const stream = request.stream === true;
    ctx.state.chat = {
      request,
      model,
      stream,
      clientWantsUsage: stream && request.stream_options?.include_usage === true,
      price,
      multiplier: snapshot.groupMultipliers[auth.group] ?? 1,
      tiers,
    };
    await next();
  };
}
