import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import express, { type Express } from 'express';
import type { DataSource } from 'typeorm';
import type { RequestContext } from '../core/context';
import { formatError } from '../core/errors';
import { SCOPES } from '../core/scopes';
import type { Logger } from '../platform/logger';
import { buildDomainSchema, type SubgraphDefinition } from './build-subgraph-schema';
import { createDomainData } from '../data/services';
import { withTimeout } from '../platform/server/http';
import { errorLoggingPlugin } from '../platform/server/error-logging';
import { subgraphLimits } from '../platform/server/query-limits';
import { requestIdFrom } from '../platform/server/request-id';

const ALL_SCOPES: readonly string[] = SCOPES;

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
  readyTimeoutMs?: number;
}): Promise<SubgraphServer> {
  const { definition, dataSource, log } = options;
  const data = createDomainData(definition.name, dataSource);
  const schema = await buildDomainSchema(definition, data.services);
  const limits = subgraphLimits<RequestContext>();
  const apollo = new ApolloServer<RequestContext>({
    ...limits.apollo,
    schema,
    // No Apollo Studio here: federated traces would only cost bytes on every response.
    plugins: [ApolloServerPluginInlineTraceDisabled(), errorLoggingPlugin(log), ...limits.apollo.plugins],
    includeStacktraceInErrorResponses: false,
    // Our own shutdown (common/platform/server/shutdown.ts) stops the server, then the database, in order.
    stopOnTerminationSignals: false,
    formatError: (formatted) => formatError(formatted),
  });
  await apollo.start();

  const app = express();
  app.disable('x-powered-by');
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
    limits.bodyParser,
    expressMiddleware(apollo, {
      context: async ({ req }): Promise<RequestContext> => {
        const requestId = requestIdFrom(req.headers);
        // Until partner keys land (the gateway will sign the caller and its scopes), every caller reads every domain.
        return { requestId, caller: { kind: 'anonymous', name: 'anonymous' }, scopes: ALL_SCOPES, loaders: data.createLoaders() };
      },
    }),
    limits.errorHandler,
  );
  return { app, apollo, stop: () => apollo.stop() };
}
