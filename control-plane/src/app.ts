// Control-plane bootstrap: database + migrations, Redis publishing, GraphQL, admin UI. The middleware order is here.
import 'reflect-metadata';
import { existsSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname } from 'node:path';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { bodyParser } from '@koa/bodyparser';
import { Redis } from 'ioredis';
import Koa, { type Context } from 'koa';
import send from 'koa-send';
import type { ControlPlaneConfig } from './config';
import { openDatabase } from './db/database';
import { createLoaders, type GraphqlContext, type Services } from './graphql/context';
import { depthLimit } from './graphql/depth-limit';
import { createErrorFormatter } from './graphql/errors';
import { koaGraphql } from './graphql/koa-graphql';
import { buildGraphqlSchema } from './graphql/schema';
import { Metrics } from './metrics';
import { ChannelService } from './modules/channel/channel.service';
import { LedgerService } from './modules/ledger/ledger.service';
import { PlanRedis } from './modules/plan/plan-redis';
import { PlanService } from './modules/plan/plan.service';
import { PriceService } from './modules/price/price.service';
import { SESSION_COOKIE, SessionService } from './modules/session/session.service';
import { TokenService } from './modules/token/token.service';
import { UsageService } from './modules/usage/usage.service';
import { GovernanceService } from './modules/governance/governance.service';
import { SettingService } from './modules/setting/setting.service';
import { UserService } from './modules/user/user.service';
import { VoucherService } from './modules/voucher/voucher.service';
import { PAYMENTS_DISABLED } from './modules/payment/payment-config';
import { createPaymentRoutes } from './modules/payment/payment.routes';
import { PaymentService } from './modules/payment/payment.service';
import { startAuditSealer } from './modules/audit/audit-chain';
import { RedisPublisher } from './snapshot/redis-publisher';

export interface ControlPlaneHandle {
  url: string;
  port: number;
  /** Set only on the very first start when no ADMIN_PASSWORD was given: the generated root password. */
  initialRootPassword: string | null;
  close(): Promise<void>;
}

const MAX_QUERY_DEPTH = 10;
const API_PATHS = new Set(['/graphql', '/health', '/metrics']);
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'", "script-src 'self'", "style-src 'self' 'unsafe-inline'", "img-src 'self' data:", "font-src 'self' data:",
  "connect-src 'self'", "object-src 'none'", "frame-ancestors 'none'", "base-uri 'self'", "form-action 'self'",
].join('; ');

function log(message: string, error?: unknown): void {
  const detail = error instanceof Error ? `: ${error.name}: ${error.message}` : '';
  process.stderr.write(`[control-plane] ${message}${detail}\n`);
}

function bearerToken(header: string | undefined): string | null {
  const match = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
  return match?.[1] ?? null;
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

export async function startControlPlane(config: ControlPlaneConfig): Promise<ControlPlaneHandle> {
  const database = await openDatabase(config.databaseUrl);
  // Request-path Redis: fail fast instead of queueing forever when Redis is away.
  const redis = new Redis(config.redisUrl, { maxRetriesPerRequest: 2, connectTimeout: 5000, commandTimeout: 5000, lazyConnect: true });
  redis.on('error', (error: unknown) => log('redis error', error));
  const metrics = new Metrics();
  let apollo: ApolloServer<GraphqlContext> | null = null;
  let publisher: RedisPublisher | null = null;
  try {
    await redis.connect();
    const activePublisher = new RedisPublisher(redis, database.orm, (message, error) => {
      metrics.countSnapshotPublish(false);
      log(message, error);
    });
    publisher = activePublisher;
    const settingService = new SettingService(activePublisher);
    const services: Services = {
      users: new UserService(activePublisher),
      sessions: new SessionService(),
      tokens: new TokenService(activePublisher),
      channels: new ChannelService(activePublisher, config.cryptoSecret, config.allowPrivateUpstreams, redis),
      prices: new PriceService(activePublisher, settingService),
      ledger: new LedgerService(activePublisher),
      plans: new PlanService(new PlanRedis(redis)),
      usage: new UsageService(),
      governance: new GovernanceService(activePublisher),
      settings: settingService,
      vouchers: new VoucherService(activePublisher, config.cryptoSecret),
      payments: new PaymentService(activePublisher, config.payments ?? PAYMENTS_DISABLED),
    };
    const initialRootPassword = await services.users.ensureRootUser(database.orm.em.fork(), config.adminPassword, config.dataDir);
    // An empty (or flushed) Redis is refilled from SQL on every start.
    await activePublisher.publishAll();
    // Plan vouchers grant through the plan module, inside the redemption transaction.
    services.vouchers.setPlanGrantHandler(services.plans.grantFromVoucher);
    await services.plans.publishAll(database.orm.em.fork());

    const schema = await buildGraphqlSchema();
    const server = new ApolloServer<GraphqlContext>({
      schema,
      formatError: createErrorFormatter((error) => log('unexpected GraphQL error', error)),
      validationRules: [depthLimit(MAX_QUERY_DEPTH)],
      includeStacktraceInErrorResponses: false,
      introspection: true,
      plugins: [ApolloServerPluginLandingPageDisabled()],
    });
    apollo = server;
    await server.start();

    const createContext = async (ctx: Context): Promise<GraphqlContext> => {
      const em = database.orm.em.fork();
      const sessionToken = ctx.cookies.get(SESSION_COOKIE) ?? bearerToken(ctx.get('authorization') || undefined);
      const user = sessionToken ? await services.sessions.authenticate(em, sessionToken) : null;
      return {
        em,
        user,
        ip: ctx.ip || null,
        services,
        loaders: createLoaders(em),
        sessionToken,
        setSessionCookie(token, expiresAt) {
          // Behind TLS-terminating proxies Koa sees plain HTTP; COOKIE_SECURE is the operator's word that clients use HTTPS.
          if (config.cookieSecure) ctx.cookies.secure = true;
          ctx.cookies.set(SESSION_COOKIE, token, { httpOnly: true, sameSite: 'lax', secure: config.cookieSecure, expires: expiresAt, path: '/', overwrite: true });
        },
        clearSessionCookie() {
          if (config.cookieSecure) ctx.cookies.secure = true;
          ctx.cookies.set(SESSION_COOKIE, '', { httpOnly: true, sameSite: 'lax', secure: config.cookieSecure, expires: new Date(0), path: '/', overwrite: true });
        },
      };
    };

    const adminUiDir = config.adminUiDir !== null && isDirectory(config.adminUiDir) && existsSync(`${config.adminUiDir}/index.html`) ? config.adminUiDir : null;
    const graphqlMiddleware = koaGraphql(server, createContext);
    const app = new Koa();
    // 1. errors + security headers + metrics, 2. body, 3. routes.
    app.use(async (ctx, next) => {
      ctx.set('Content-Security-Policy', CONTENT_SECURITY_POLICY);
      ctx.set('X-Content-Type-Options', 'nosniff');
      ctx.set('X-Frame-Options', 'DENY');
      ctx.set('Referrer-Policy', 'no-referrer');
      ctx.set('Cross-Origin-Opener-Policy', 'same-origin');
      try {
        await next();
      } catch (error) {
        const status = typeof error === 'object' && error !== null && 'status' in error && typeof error.status === 'number' ? error.status : 500;
        if (status >= 500) log('request failed', error);
        ctx.status = status;
        ctx.body = { error: status >= 500 ? 'internal error' : 'bad request' };
      } finally {
        metrics.countRequest(API_PATHS.has(ctx.path) ? ctx.path : 'static', ctx.status);
      }
    });
    // Payment callbacks read their raw body themselves (signatures cover the exact bytes), so they come first.
    app.use(createPaymentRoutes(database.orm, services.payments));
    app.use(bodyParser({ enableTypes: ['json'], jsonLimit: '1mb' }));
    app.use(async (ctx, next) => {
      if (ctx.path === '/graphql') return graphqlMiddleware(ctx, next);
      if (ctx.path === '/health') {
        const checks = { database: 'ok', redis: 'ok' };
        try {
          await database.orm.em.fork().getConnection().execute('select 1');
        } catch {
          checks.database = 'down';
        }
        try {
          await redis.ping();
        } catch {
          checks.redis = 'down';
        }
        const healthy = checks.database === 'ok' && checks.redis === 'ok';
        ctx.status = healthy ? 200 : 503;
        ctx.body = { status: healthy ? 'ok' : 'degraded', ...checks };
        return;
      }
      if (ctx.path === '/metrics') {
        ctx.type = 'text/plain; version=0.0.4';
        ctx.body = metrics.render(activePublisher.lastPublishedVersion);
        return;
      }
      if (adminUiDir !== null && (ctx.method === 'GET' || ctx.method === 'HEAD')) {
        try {
          await send(ctx, ctx.path, { root: adminUiDir, index: 'index.html', maxage: ctx.path.startsWith('/assets/') ? 31536000000 : 0 });
          return;
        } catch (error) {
          const status = typeof error === 'object' && error !== null && 'status' in error ? error.status : 500;
          if (status !== 404) throw error;
        }
        // SPA fallback: client-side routes get index.html; missing files stay 404.
        if (extname(ctx.path) === '') {
          await send(ctx, 'index.html', { root: adminUiDir });
          return;
        }
      }
      await next();
    });

    const httpServer: Server = createServer(app.callback());
    await new Promise<void>((resolve, reject) => {
      httpServer.once('error', reject);
      httpServer.listen(config.port, config.host, () => resolve());
    });
    const address = httpServer.address() as AddressInfo;
    const displayHost = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host.includes(':') ? `[${config.host}]` : config.host;
    // Hash-chains new audit rows every few seconds (writers never wait for the chain).
    const auditSealer = startAuditSealer(database.orm.em, log);
    let closing: Promise<void> | null = null;
    return {
      url: `http://${displayHost}:${address.port}`,
      port: address.port,
      initialRootPassword,
      close() {
        closing ??= (async () => {
          await new Promise<void>((resolve) => {
            httpServer.close(() => resolve());
            httpServer.closeIdleConnections();
          });
          await server.stop();
          await activePublisher.close();
          await redis.quit().catch(() => undefined);
          await auditSealer.stop();
          await database.close();
        })();
        return closing;
      },
    };
  } catch (error) {
    await apollo?.stop().catch(() => undefined);
    await publisher?.close().catch(() => undefined);
    redis.disconnect();
    await database.close().catch(() => undefined);
    throw error;
  }
}
