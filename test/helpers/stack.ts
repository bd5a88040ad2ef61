import 'reflect-metadata';
import type { DataSource } from 'typeorm';
import { DOMAINS, type Domain } from '../../common/core/domain';
import { openDomainDatabase } from '../../common/data/database/data-source';
import { createLogger } from '../../common/platform/logger';
import { fromRoot } from '../../common/platform/paths';
import { listen, type Listening } from '../../common/platform/server/http';
import { createSubgraphServer } from '../../common/graph/subgraph-server';
import { createGatewayServer } from '../../gateway/server';
import { SUBGRAPHS } from '../../subgraphs';

export interface Stack {
  gatewayUrl: string;
  subgraphUrls: Record<Domain, string>;
  /** SQL statements each subgraph has sent since the last reset (counted, not intercepted). */
  sqlCount: Record<Domain, number>;
  resetSqlCount(): void;
  /** Stops one subgraph (for readiness and failure tests). */
  stopSubgraph(domain: Domain): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The three subgraphs and the gateway, in this process, on free ports, against `databaseUrl`:
 * the same builders `npm start` runs, over real HTTP.
 */
export async function startStack(databaseUrl: string): Promise<Stack> {
  const log = createLogger('test-stack', process.env.TEST_LOG_LEVEL ?? 'silent');
  const running: Partial<Record<Domain, { listening: Listening; stop: () => Promise<void>; db: DataSource }>> = {};
  const sqlCount = Object.fromEntries(DOMAINS.map((d) => [d, 0])) as Record<Domain, number>;
  for (const domain of DOMAINS) {
    const db = await openDomainDatabase({ url: databaseUrl, schema: domain, poolSize: 4, migrate: true });
    const query = db.query.bind(db);
    db.query = ((...args: Parameters<DataSource['query']>) => {
      sqlCount[domain] += 1;
      return query(...args);
    }) as DataSource['query'];
    const server = await createSubgraphServer({ definition: SUBGRAPHS[domain], dataSource: db, log });
    running[domain] = { listening: await listen(server.app, 0, '127.0.0.1'), stop: server.stop, db };
  }
  const subgraphUrls = Object.fromEntries(DOMAINS.map((d) => [d, running[d]!.listening.url])) as Record<Domain, string>;
  const gateway = await createGatewayServer(
    {
      supergraphPath: fromRoot('schema/supergraph.graphql'),
      subgraphs: Object.fromEntries(DOMAINS.map((d) => [d, { port: running[d]!.listening.port, url: subgraphUrls[d] }])) as Record<
        Domain,
        { port: number; url: string }
      >,
      readyTimeoutMs: 1000,
      subgraphTimeoutMs: 10000,
    },
    log,
  );
  const gatewayListening = await listen(gateway.app, 0, '127.0.0.1');

  const stopSubgraph = async (domain: Domain) => {
    const s = running[domain];
    if (!s) return;
    delete running[domain];
    await s.listening.close();
    await s.stop();
    await s.db.destroy();
  };
  return {
    gatewayUrl: gatewayListening.url,
    subgraphUrls,
    sqlCount,
    resetSqlCount: () => DOMAINS.forEach((d) => (sqlCount[d] = 0)),
    stopSubgraph,
    async stop() {
      await gatewayListening.close();
      await gateway.stop();
      for (const d of DOMAINS) await stopSubgraph(d);
    },
  };
}

export interface GraphQLResponse<T = Record<string, any>> {
  data?: T | null;
  errors?: Array<{ message: string; path?: Array<string | number>; extensions?: Record<string, unknown> }>;
}

/** POSTs a query as a client would. */
export async function graphql<T = Record<string, any>>(url: string, query: string, variables?: Record<string, unknown>): Promise<GraphQLResponse<T>> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as GraphQLResponse<T>;
}
