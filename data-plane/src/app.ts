// The whole middleware order in one place. Outer to inner:
//   request id -> metrics -> error boundary -> health/metrics routes -> OpenAI routes -> Anthropic Messages routes
//   (per route: auth -> snapshot pin -> body cap + JSON -> chat guard -> reserve -> relay + settle).
import Koa from 'koa';
import type { DataPlaneServices } from './context';
import { koaError } from './middleware/koa-error';
import { koaMetrics } from './middleware/koa-metrics';
import { koaRequestId } from './middleware/koa-request-id';
import { createHealthRouter } from './routes/health.routes';
import { createAnthropicRouter } from './routes/anthropic.routes';
import { createGeminiRouter } from './routes/gemini.routes';
import { createOpenAiEndpointsRouter } from './routes/openai-endpoints.routes';
import { createOpenAiRouter } from './routes/openai.routes';
import { createResponsesRouter } from './routes/responses.routes';

export function createApp(services: DataPlaneServices): Koa {
  const app = new Koa();
  const health = createHealthRouter(services);
  const openai = createOpenAiRouter(services);
  const openaiEndpoints = createOpenAiEndpointsRouter(services);
  const anthropic = createAnthropicRouter(services);
  const gemini = createGeminiRouter(services);
  const responses = createResponsesRouter(services);
  app.use(koaRequestId());
  app.use(koaMetrics(services.metrics));
  app.use(koaError());
  app.use(health.routes());
  app.use(openai.routes());
  app.use(openai.allowedMethods());
  app.use(openaiEndpoints.routes());
  app.use(openaiEndpoints.allowedMethods());
  app.use(anthropic.routes());
  app.use(anthropic.allowedMethods());
  app.use(gemini.routes());
  app.use(gemini.allowedMethods());
  app.use(responses.routes());
  app.use(responses.allowedMethods());
  return app;
}
