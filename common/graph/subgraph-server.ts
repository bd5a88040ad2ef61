import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import express, { type Express } from 'express';
import type { GraphQLFormattedError } from 'graphql';
import type { DataSource } from 'typeorm';
import type { RequestContext } from '../core/context';
import { ErrorCode, formatError } from '../core/errors';
import { databaseFault } from '../platform/database/faults';
import type { Logger } from '../platform/logger';
import { buildDomainSchema, type SubgraphDefinition } from './build-subgraph-schema';
import { createDomainData } from '../data/services';
import { withTimeout } from '../platform/server/http';
import { errorLoggingPlugin } from '../platform/server/error-logging';
import { subgraphLimits } from '../platform/server/query-limits';
import { REQUEST_ID_HEADER, requestIdFrom } from '../platform/server/request-id';
import { ServiceMetrics } from '../platform/server/metrics';
import { poolStats } from '../platform/database/pool-stats';
import { sendGraphQLError } from '../platform/server/error-response';
import { CALLER_HEADER, REFUSAL_AUDIT, SignatureVerifier, type SignedCaller } from '../platform/security/gateway-signature';
import { operationNameOf } from '../platform/server/operation-name';
import type { AuditWriter } from '../data/gateway/audit-writer';
import { AUDIT_SOURCE } from '../data/gateway/gateway.repository';

/** A resolver that failed because the database is down or too slow: said so, with a code a client can retry on. */
function databaseUnavailable(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError | undefined {
  const fault = databaseFault(error);
  if (!fault) return undefined;
  const message =
    fault === 'timeout'
      ? 'The database did not answer in time; retry shortly.'
      : 'The database is unavailable (stopped or restarting); retry shortly.';
  return { message, locations: formatted.locations, path: formatted.path, extensions: { code: ErrorCode.DATABASE_UNAVAILABLE } };
}

export interface SubgraphServer {
  app: Express;
  apollo: ApolloServer<RequestContext>;
  stop: () => Promise<void>;
}

/**
 * Builds (does not listen) one domain subgraph: Apollo Server on /graphql, /health and /ready.
 * The same builder serves identity, finance and infrastructure.
 */
export async function createSubgraphServer(options: {
  definition: SubgraphDefinition;
  dataSource: DataSource;
  log: Logger;
  /** The secret the gateway signs callers with (GATEWAY_SECRET or the data dir's). */
  gatewaySecret: string;
  readyTimeoutMs?: number;
  /** Serve GET /metrics (METRICS_ENABLED; default on). */
  metrics?: boolean;
  /** Records each refused direct call in gateway.audit_entry (common/data/gateway/subgraph-audit.ts); unset, refusals are only logged. */
  audit?: AuditWriter;
}): Promise<SubgraphServer> {
  const { definition, dataSource, log } = options;
  const verifier = new SignatureVerifier(options.gatewaySecret);
  const data = createDomainData(definition.name, dataSource);
  const schema = await buildDomainSchema(definition, data.services);
  const limits = subgraphLimits<RequestContext>();
  const metrics = new ServiceMetrics(definition.name, ['/graphql', '/health', '/ready', '/metrics']);
  metrics.observePool(definition.name, poolStats(dataSource));
  const apollo = new ApolloServer<RequestContext>({
    ...limits.apollo,
    schema,
    // No Apollo Studio here: federated traces would only cost bytes on every response.
    plugins: [ApolloServerPluginInlineTraceDisabled(), errorLoggingPlugin(log), metrics.graphqlPlugin<RequestContext>(), ...limits.apollo.plugins],
    includeStacktraceInErrorResponses: false,
    // Our own shutdown (common/platform/server/shutdown.ts) stops the server, then the database, in order.
    stopOnTerminationSignals: false,
    formatError: (formatted, error) => formatError(databaseUnavailable(formatted, error) ?? formatted),
  });
  await apollo.start();

  const app = express();
  app.disable('x-powered-by');
  app.use(metrics.httpMiddleware(log));
  if (options.metrics ?? true) app.get('/metrics', metrics.handler());
  app.get('/health', (_req, res) => {
    res.json({ status: 'ok', service: definition.name });
  });
  app.get('/ready', async (_req, res) => {
    try {
      await withTimeout(dataSource.query('SELECT 1'), options.readyTimeoutMs ?? 2000, 'database');
      res.json({ status: 'ready', service: definition.name, database: 'ok' });
    } catch (err) {
      log.warn({ err }, 'readiness check: database unavailable');
      res.status(503).json({ status: 'unavailable', service: definition.name, database: 'unavailable' });
    }
  });
  app.use(
    '/graphql',
    (req: express.Request, res: express.Response, next: express.NextFunction) => {
      // Only the gateway may call a subgraph: a request without a valid, fresh, unused signature gets nothing (keys are not accepted here).
      const startedAt = performance.now();
      const verified = verifier.verify(req.headers[CALLER_HEADER]);
      if (!verified.ok) {
        const requestId = requestIdFrom(req.headers);
        const refusal = REFUSAL_AUDIT[verified.reason];
        log.warn({ reason: verified.reason, requestId }, 'refused a request without a valid gateway signature');
        const refuse = () => {
          options.audit?.record({
            at: new Date(),
            requestId,
            keyName: verified.name ?? refusal.keyName,
            operationName: operationNameOf(req.body),
            domains: [definition.name],
            durationMs: Math.round(performance.now() - startedAt),
            status: 401,
            errorCodes: [refusal.code, 'UNAUTHENTICATED'].sort(),
            source: AUDIT_SOURCE.subgraph(definition.name),
          });
          res.setHeader(REQUEST_ID_HEADER, requestId);
          sendGraphQLError(res, 401, 'UNAUTHENTICATED', 'This service answers only the gateway: send requests to the gateway with an API key.');
        };
        // The audit's operation name comes from the body (read within the subgraph's body limit); an unreadable body has none.
        return options.audit ? limits.bodyParser(req, res, refuse) : refuse();
      }
      res.locals.caller = verified.caller;
      // The gateway's request id, back in the answer and in this subgraph's request log.
      res.setHeader(REQUEST_ID_HEADER, verified.caller.requestId || requestIdFrom(req.headers));
      next();
    },
    limits.bodyParser,
    expressMiddleware(apollo, {
      context: async ({ req, res }): Promise<RequestContext> => {
        const caller = res.locals.caller as SignedCaller;
        const requestId = caller.requestId || requestIdFrom(req.headers);
        return { requestId, caller: { kind: 'partner', name: caller.name }, scopes: caller.scopes, loaders: data.createLoaders() };
      },
    }),
    limits.errorHandler,
  );
  return { app, apollo, stop: () => apollo.stop() };
}
