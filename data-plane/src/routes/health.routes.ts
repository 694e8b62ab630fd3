// GET /health (liveness + readiness details) and GET /metrics (Prometheus text).
import Router from '@koa/router';
import type { DataPlaneServices } from '../context';

export function createHealthRouter(services: DataPlaneServices): Router {
  const router = new Router();
  router.get('/health', (ctx) => {
    const version = services.snapshots.version;
    // Ready = we can route. Redis being down is reported but is not fatal: we serve from memory.
    ctx.status = version > 0 ? 200 : 503;
    ctx.body = { status: version > 0 ? 'ok' : 'no_snapshot', snapshotVersion: version, redis: services.redis.status };
  });
  router.get('/metrics', (ctx) => {
    ctx.type = 'text/plain; version=0.0.4';
    ctx.body = services.metrics.render(services.snapshots.version);
  });
  return router;
}
