// Counts every answered request by final status (after koa-error mapped it).
import type { StateMiddleware } from '../context';
import type { Metrics } from '../observability/metrics';

export function koaMetrics(metrics: Metrics): StateMiddleware<object> {
  return async (ctx, next) => {
    try {
      await next();
    } finally {
      metrics.countRequest(ctx.status);
    }
  };
}
