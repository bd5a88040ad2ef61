import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { expressMiddleware } from '@as-integrations/express5';
import express, { type Express } from 'express';
import type { DataSource } from 'typeorm';
import { DOMAINS } from '../common/core/domain';
import { formatError } from '../common/core/errors';
import { GatewayRepository } from '../common/data/gateway/gateway.repository';
import { ADMIN_SUBGRAPH } from '../common/graph/admin/audit-log.graph';
import { type Config } from '../common/platform/config';
import type { Logger } from '../common/platform/logger';
import { defaultKeyFile, type KeyRing } from '../common/platform/security/api-keys';
import { CALLER_HEADER, signCaller } from '../common/platform/security/gateway-signature';
import { poolStats } from '../common/platform/database/pool-stats';
import { errorLoggingPlugin } from '../common/platform/server/error-logging';
import { ServiceMetrics } from '../common/platform/server/metrics';
import { REQUEST_ID_HEADER } from '../common/platform/server/request-id';
import { authenticate } from './access/authenticate';
import { cors, keyCors } from './access/cors';
import { partnerOperations } from './access/partner-operations';
import { PartnerSchemas } from './access/partner-schema';
import { rateLimit } from './access/rate-limit';
import { requestState, type RequestState } from './access/request-state';
import { auditPlugin, auditRequests } from './audit/audit';
import { AuditLogSource } from './audit/audit-log-source';
import { AuditWriter } from '../common/data/gateway/audit-writer';
import { csvExport } from './export';
import { hardening } from './hardening';
import { loadPersistedOperations, persistedOperations } from './persisted-operations';
import { deduplicatingFetcher } from './fetch-dedupe';
import { resilientFetcher, type Fetcher } from './resilient-fetch';
import { readSupergraph } from './supergraph';
import { mountWeb } from './web';

export interface GatewayContext {
  requestId: string;
  /** This request's caller, what it touched and its errors (also read by the audit). */
  access: RequestState;
}

/** What the gateway checks callers with: the keys, the secret it signs them to the subgraphs with, its own database. */
export interface GatewayAccess {
  keys: KeyRing;
  gatewaySecret: string;
  /** The gateway schema (common/data/gateway): rate-limit counters and the audit trail. */
  dataSource: DataSource;
}

export interface GatewayServer {
  app: Express;
  /** Writes the buffered audit records now (tests; shutdown does it too). */
  flushAudit: () => Promise<void>;
  stop: () => Promise<void>;
}

type GatewayConfig = Pick<
  Config,
  'supergraphPath' | 'subgraphs' | 'readyTimeoutMs' | 'subgraphTimeoutMs' | 'corsOrigins' | 'rateLimitPerMinute' | 'auditRetentionDays'
> &
  Partial<Pick<Config, 'env' | 'dataDir' | 'apiKeysFile' | 'rateLimitCostPerMinute' | 'metricsEnabled' | 'subgraphDeduplication'>>;

/** Builds (does not listen) the gateway on the checked-in supergraph, with /health and /ready. */
export async function createGatewayServer(config: GatewayConfig, log: Logger, access: GatewayAccess): Promise<GatewayServer> {
  const supergraphSdl = readSupergraph(config.supergraphPath);
  const partnerSchemas = new PartnerSchemas(supergraphSdl);
  const repository = new GatewayRepository(access.dataSource);
  const audit = new AuditWriter(repository, log, { retentionDays: config.auditRetentionDays });
  const urls: Record<string, string> = Object.fromEntries(DOMAINS.map((d) => [d, config.subgraphs[d].url]));
  const metrics = new ServiceMetrics('gateway', ['/graphql', '/export.csv', '/health', '/ready', '/metrics']);
  metrics.observePool('gateway', poolStats(access.dataSource));
  // Query.auditLog: the admin subgraph runs in this process, on the gateway's schema (docs/architecture.md).
  const auditLog = await AuditLogSource.create(repository);
  const gateway = new ApolloGateway({
    supergraphSdl,
    buildService: ({ name, url }) => {
      if (name === ADMIN_SUBGRAPH) return auditLog;
      const resilient = resilientFetcher(name, urls, { timeoutMs: config.subgraphTimeoutMs, supergraphSdl }, log);
      const timed: Fetcher = (input, init) => metrics.timeSubgraph(name, () => resilient(input, init));
      return new RemoteGraphQLDataSource<GatewayContext>({
        // Subgraph URLs come from config (env), not from the URLs baked into the supergraph file.
        url: urls[name] ?? url,
        // Identical queries in flight share one fetch (the metrics count the fetches actually sent).
        fetcher: (config.subgraphDeduplication ?? true) ? deduplicatingFetcher(timed) : timed,
        didReceiveResponse({ response }) {
          metrics.subgraphAnswered(name, response.errors);
          return response;
        },
        willSendRequest({ request, context }) {
          // Health checks and schema loads carry no request context.
          const requestId: unknown = 'requestId' in context ? context.requestId : undefined;
          if (typeof requestId === 'string' && requestId) request.http?.headers.set(REQUEST_ID_HEADER, requestId);
          // The subgraphs trust only this signed header: the caller's name and scopes, fresh for each fetch.
          const caller = 'access' in context ? (context.access as RequestState).caller : undefined;
          if (caller) {
            const signed = signCaller(access.gatewaySecret, { name: caller.name, scopes: [...caller.scopes], requestId: String(requestId) });
            request.http?.headers.set(CALLER_HEADER, signed);
          }
        },
      });
    },
  });
  const limits = hardening<GatewayContext>(config.env ?? 'development');
  const apollo = new ApolloServer<GatewayContext>({
    ...limits.apollo,
    gateway,
    // Our own shutdown (common/platform/server/shutdown.ts) stops the server, then the database, in order.
    stopOnTerminationSignals: false,
    formatError: (formatted) => formatError(formatted),
    plugins: [...limits.apollo.plugins, errorLoggingPlugin(log), auditPlugin(), metrics.graphqlPlugin<GatewayContext>()],
    // Every document goes through partnerOperations' check; only listed ids (persistedOperations) stand in for a text.
    persistedQueries: false,
  });
  await apollo.start();

  const app = express();
  app.disable('x-powered-by');
  app.use(metrics.httpMiddleware(log));
  // No key: scrapers reach it from the operator's network; METRICS_ENABLED=false removes it (docs/operations.md).
  if (config.metricsEnabled ?? true) app.get('/metrics', metrics.handler());
  app.use(cors(config.corsOrigins, access.keys));
  app.get('/health', (_req, res) => {
    res.json({ status: 'ok', service: 'gateway' });
  });
  app.get('/ready', async (_req, res) => {
    const checks = await Promise.all(
      DOMAINS.map(async (domain) => {
        const readyUrl = new URL('/ready', urls[domain]).toString();
        try {
          const response = await fetch(readyUrl, { signal: AbortSignal.timeout(config.readyTimeoutMs) });
          const body = (await response.json().catch(() => ({}))) as { database?: string };
          return { domain, ok: response.ok, status: response.ok ? 'ready' : `HTTP ${response.status}`, database: body.database ?? 'unknown' };
        } catch (err) {
          const timedOut = (err as Error).name === 'TimeoutError';
          return { domain, ok: false, status: timedOut ? `no answer within ${config.readyTimeoutMs} ms` : 'unreachable', database: 'unknown' };
        }
      }),
    );
    const ready = checks.every((c) => c.ok);
    res.status(ready ? 200 : 503).json({
      status: ready ? 'ready' : 'unavailable',
      subgraphs: Object.fromEntries(checks.map(({ domain, status, database }) => [domain, { status, database }])),
    });
  });
  // The dashboard and the explorer are static files (no key); what they ask /graphql needs one like any client.
  const keyFile = config.apiKeysFile ?? (config.dataDir ? defaultKeyFile(config.dataDir) : undefined);
  mountWeb(app, { env: config.env ?? 'development', keyFile });
  const context = ({ res }: { res: express.Response }): Promise<GatewayContext> => {
    const state = requestState(res);
    return Promise.resolve({ requestId: state.requestId, access: state });
  };
  // One pipeline for /graphql and the CSV export: audit, request id, key, CORS, body limit; then rate limit and the caller's schema.
  const guarded = [
    auditRequests(audit),
    (_req: express.Request, res: express.Response, next: express.NextFunction) => {
      res.setHeader(REQUEST_ID_HEADER, requestState(res).requestId);
      next();
    },
    authenticate(access.keys),
    keyCors(),
    limits.bodyParser,
  ];
  const limited = rateLimit(
    repository,
    { requestsPerMinute: config.rateLimitPerMinute, costPerMinute: config.rateLimitCostPerMinute ?? 0 },
    partnerSchemas,
    log,
  );
  const callerSchema = partnerOperations(partnerSchemas, { introspection: (config.env ?? 'development') !== 'production' });
  // /graphql also takes the dashboard's operations by id (dist/web/persisted-operations.json), resolved before the
  // rate limit (which prices the query text) and the schema check.
  const persisted = persistedOperations(loadPersistedOperations());
  app.use('/graphql', ...guarded, persisted, limited, callerSchema, expressMiddleware(apollo, { context }), limits.errorHandler);
  app.use('/export.csv', ...guarded, limited, callerSchema, csvExport({ apollo, supergraphSdl, context }), limits.errorHandler);
  return {
    app,
    flushAudit: () => audit.settle(),
    stop: async () => {
      await apollo.stop();
      await audit.stop();
    },
  };
}
