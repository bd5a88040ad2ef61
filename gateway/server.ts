import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { expressMiddleware } from '@as-integrations/express5';
import express, { type Express } from 'express';
import { DOMAINS } from '../common/core/domain';
import { type Config } from '../common/platform/config';
import { formatError } from '../common/core/errors';
import type { Logger } from '../common/platform/logger';
import { errorLoggingPlugin } from '../common/platform/server/error-logging';
import { REQUEST_ID_HEADER, requestIdFrom } from '../common/platform/server/request-id';
import { csvExport } from './export';
import { hardening } from './hardening';
import { resilientFetcher } from './resilient-fetch';
import { readSupergraph } from './supergraph';
import { localKeyFile, mountWeb } from './web';

export interface GatewayContext {
  requestId: string;
}

export interface GatewayServer {
  app: Express;
  stop: () => Promise<void>;
}

type GatewayConfig = Pick<Config, 'supergraphPath' | 'subgraphs' | 'readyTimeoutMs' | 'subgraphTimeoutMs'> & Partial<Pick<Config, 'env' | 'dataDir'>>;

/** Builds (does not listen) the gateway on the checked-in supergraph, with /health and /ready. */
export async function createGatewayServer(config: GatewayConfig, log: Logger): Promise<GatewayServer> {
  const supergraphSdl = readSupergraph(config.supergraphPath);
  const urls: Record<string, string> = Object.fromEntries(DOMAINS.map((d) => [d, config.subgraphs[d].url]));
  const gateway = new ApolloGateway({
    supergraphSdl,
    buildService: ({ name, url }) =>
      new RemoteGraphQLDataSource<GatewayContext>({
        // Subgraph URLs come from config (env), not from the URLs baked into the supergraph file.
        url: urls[name] ?? url,
        fetcher: resilientFetcher(name, urls, { timeoutMs: config.subgraphTimeoutMs }, log),
        willSendRequest({ request, context }) {
          // Health checks and schema loads carry no request context.
          const requestId: unknown = 'requestId' in context ? context.requestId : undefined;
          if (typeof requestId === 'string' && requestId) request.http?.headers.set(REQUEST_ID_HEADER, requestId);
        },
      }),
  });
  const limits = hardening<GatewayContext>(config.env ?? 'development');
  const apollo = new ApolloServer<GatewayContext>({
    ...limits.apollo,
    gateway,
    // Our own shutdown (common/platform/server/shutdown.ts) stops the server, then the database, in order.
    stopOnTerminationSignals: false,
    formatError: (formatted) => formatError(formatted),
    plugins: [...limits.apollo.plugins, errorLoggingPlugin(log)],
  });
  await apollo.start();

  const app = express();
  app.disable('x-powered-by');
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
  mountWeb(app, { env: config.env ?? 'development', keyFile: config.dataDir && localKeyFile(config.dataDir) });
  const context = async ({ req, res }: { req: express.Request; res: express.Response }): Promise<GatewayContext> => {
    const requestId = requestIdFrom(req.headers);
    res.setHeader(REQUEST_ID_HEADER, requestId);
    return { requestId };
  };
  app.use('/graphql', limits.bodyParser, expressMiddleware(apollo, { context }), limits.errorHandler);
  // The same limits as /graphql: body size, and the Apollo plugins the export runs through.
  app.use('/export.csv', limits.bodyParser, csvExport({ apollo, supergraphSdl, context }), limits.errorHandler);
  return { app, stop: () => apollo.stop() };
}
