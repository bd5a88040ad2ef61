import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { ApolloGateway, type GraphQLDataSource } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { expressMiddleware } from '@as-integrations/express5';
import express from 'express';
import { graphql, type GraphQLSchema } from 'graphql';
import type { DataSource } from 'typeorm';
import type { RequestContext } from '../../common/core/context';
import { DOMAINS, type Domain } from '../../common/core/domain';
import { formatError } from '../../common/core/errors';
import { SCOPES } from '../../common/core/scopes';
import { openDomainDatabase } from '../../common/data/database/data-source';
import { createDomainData, type DomainData } from '../../common/data/services';
import { buildDomainSchema } from '../../common/graph/build-subgraph-schema';
import { fromRoot } from '../../common/platform/paths';
import { listen } from '../../common/platform/server/http';
import { readSupergraph } from '../../gateway/supergraph';
import { SUBGRAPHS } from '../../subgraphs';

/**
 * Bench only: the `monolith` system of `npm run bench`. The three subgraphs' own schemas and resolvers, built
 * by the same buildDomainSchema, executed in ONE process with no HTTP between them: the query planner of
 * @apollo/gateway joins them in memory (each fetch is a function call into that domain's schema). No API key,
 * signature, audit or rate limit: what is left is the cost of the resolvers, the loaders and the SQL.
 *
 *   node dist/scripts/bench/monolith.js <databaseUrl> <port>    (prints "monolith ready <url>")
 */
type MonolithContext = Partial<Record<Domain, RequestContext>>;

/** One domain's schema as a gateway data source: executes in-process with that domain's per-request context. */
function inProcess(domain: Domain, schema: GraphQLSchema): GraphQLDataSource<MonolithContext> {
  return {
    async process({ request, context }) {
      const result = await graphql({
        schema,
        source: request.query ?? '',
        variableValues: request.variables,
        operationName: request.operationName,
        contextValue: context[domain],
      });
      return result;
    },
  };
}

async function main(): Promise<void> {
  const [databaseUrl, portArg] = process.argv.slice(2);
  if (!databaseUrl || !portArg) throw new Error('usage: monolith.js <databaseUrl> <port>');
  const databases: DataSource[] = [];
  const data = {} as Record<Domain, DomainData>;
  const schemas = {} as Record<Domain, GraphQLSchema>;
  for (const domain of DOMAINS) {
    const db = await openDomainDatabase({
      url: databaseUrl,
      schema: domain,
      poolSize: 4,
      migrate: false,
      applicationName: `atlas-monolith-${domain}`,
    });
    databases.push(db);
    data[domain] = createDomainData(domain, db);
    schemas[domain] = await buildDomainSchema(SUBGRAPHS[domain], data[domain].services);
  }
  const gateway = new ApolloGateway({
    supergraphSdl: readSupergraph(fromRoot('schema/supergraph.graphql')),
    buildService: ({ name }) => inProcess(name as Domain, schemas[name as Domain]),
  });
  const apollo = new ApolloServer<MonolithContext>({ gateway, formatError: (f) => formatError(f), stopOnTerminationSignals: false });
  await apollo.start();
  const app = express();
  app.use(
    '/graphql',
    express.json({ limit: '1mb' }),
    expressMiddleware(apollo, {
      context: () => {
        const requestId = randomUUID();
        const caller = { kind: 'partner' as const, name: 'monolith-bench' };
        return Promise.resolve(
          Object.fromEntries(
            DOMAINS.map((d) => [d, { requestId, caller, scopes: [...SCOPES], loaders: data[d].createLoaders() }]),
          ) as MonolithContext,
        );
      },
    }),
  );
  const listening = await listen(app, Number(portArg), '127.0.0.1');
  console.log(`monolith ready ${listening.url}`);
  const stop = async () => {
    await listening.close();
    await apollo.stop();
    for (const db of databases) await db.destroy();
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop());
  process.once('SIGINT', () => void stop());
}

main().catch((err: unknown) => {
  console.error(`monolith failed: ${(err as Error).stack ?? String(err)}`);
  process.exit(1);
});
