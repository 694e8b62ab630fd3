// Mounts Apollo Server in Koa over executeHTTPGraphQLRequest (the official Koa integration is ESM-only).
import { Readable } from 'node:stream';
import { HeaderMap, type ApolloServer } from '@apollo/server';
import type { Context, Middleware } from 'koa';
import type { GraphqlContext } from './context';

export function koaGraphql(server: ApolloServer<GraphqlContext>, createContext: (ctx: Context) => Promise<GraphqlContext>): Middleware {
  return async (ctx) => {
    const headers = new HeaderMap();
    for (const [name, value] of Object.entries(ctx.request.headers)) {
      if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
    }
    const response = await server.executeHTTPGraphQLRequest({
      httpGraphQLRequest: {
        method: ctx.method.toUpperCase(),
        headers,
        search: ctx.querystring ? `?${ctx.querystring}` : '',
        body: ctx.request.body,
      },
      context: () => createContext(ctx),
    });
    for (const [name, value] of response.headers) ctx.set(name, value);
    ctx.status = response.status ?? 200;
    if (response.body.kind === 'complete') {
      ctx.body = response.body.string;
      return;
    }
    ctx.body = Readable.from(response.body.asyncIterator);
  };
}
