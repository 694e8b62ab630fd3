// OpenAI's non-chat endpoints (and rerank in the Cohere/Jina shape), mounted at /v1 and /hf/v1 (rerank also at
// /v2/rerank for Cohere's v2 clients). Every route runs the same chain as chat, written out here in one place:
// auth -> snapshot -> body (JSON or multipart, cap after decompression) -> governance -> guard -> limits -> reserve ->
// relay.
import Router from '@koa/router';
import type Koa from 'koa';
import type { DataPlaneServices } from '../context';
import { koaAuth } from '../middleware/koa-auth';
import { koaEndpointBody, koaEndpointGuard, koaEndpointReserve, type EndpointRelayState } from '../middleware/koa-endpoint-guard';
import { koaGovernance } from '../middleware/koa-governance';
import { koaLimits } from '../middleware/koa-limits';
import { koaSnapshot } from '../middleware/koa-snapshot';
import type { RelayEndpoint } from '../providers';
import { relayEndpoint } from '../relay/endpoint-relay';
import { OPENAI_PREFIXES } from './openai.routes';

export const ENDPOINT_ROUTES: ReadonlyArray<{ path: string; endpoint: RelayEndpoint }> = [
  { path: '/completions', endpoint: 'completions' },
  { path: '/embeddings', endpoint: 'embeddings' },
  { path: '/images/generations', endpoint: 'image-generation' },
  { path: '/images/edits', endpoint: 'image-edit' },
  { path: '/audio/speech', endpoint: 'speech' },
  { path: '/audio/transcriptions', endpoint: 'transcription' },
  { path: '/audio/translations', endpoint: 'translation' },
  { path: '/moderations', endpoint: 'moderation' },
  { path: '/rerank', endpoint: 'rerank' },
];

export function createOpenAiEndpointsRouter(services: DataPlaneServices): Router<EndpointRelayState> {
  const router = new Router<EndpointRelayState>();
  const auth = koaAuth(services.records);
  const snapshot = koaSnapshot(services.snapshots);
  const governance = koaGovernance(services);
  const limits = koaLimits(services);
  const reserve = koaEndpointReserve(services);
  const relay = async (ctx: Koa.ParameterizedContext<EndpointRelayState>) => {
    const work = relayEndpoint(ctx, services);
    services.inFlight.add(work);
    try {
      await work;
    } finally {
      services.inFlight.delete(work);
    }
  };
  const paths = [
    ...OPENAI_PREFIXES.flatMap((prefix) => ENDPOINT_ROUTES.map((route) => ({ path: `${prefix}${route.path}`, endpoint: route.endpoint }))),
    { path: '/v2/rerank', endpoint: 'rerank' as const },
  ];
  for (const { path, endpoint } of paths) {
    router.post(path, auth, snapshot, koaEndpointBody(endpoint), governance, koaEndpointGuard(endpoint), limits, reserve, relay);
  }
  return router;
}
