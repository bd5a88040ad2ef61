import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import 'reflect-metadata';
import type { DataSource } from 'typeorm';
import { SCOPES } from '../../common/core/scopes';
import { openGatewayDatabase } from '../../common/data/gateway/gateway-database';
import { openSubgraphAudit, type SubgraphAudit } from '../../common/data/gateway/subgraph-audit';
import { loadKeyRing, type ApiKeyEntry } from '../../common/platform/security/api-keys';
import { newSecret } from '../../common/platform/security/gateway-signature';
import { DOMAINS, type Domain } from '../../common/core/domain';
import { openDomainDatabase } from '../../common/data/database/data-source';
import { createLogger, type Logger } from '../../common/platform/logger';
import { fromRoot } from '../../common/platform/paths';
import { listen, type Listening } from '../../common/platform/server/http';
import { createSubgraphServer } from '../../common/graph/subgraph-server';
import { createGatewayServer } from '../../gateway/server';
import { SUBGRAPHS } from '../../subgraphs';
import { SqlCounter } from './sql-counter';

/** The all-scopes key every stack accepts and `graphql()` sends unless told otherwise. */
export const TEST_API_KEY = 'atlas_test_all_scopes_0123456789abcdef';

export interface Stack {
  gatewayUrl: string;
  /** The secret the gateway signs callers with (tests forge and replay with it). */
  gatewaySecret: string;
  /** Writes the buffered audit records (the gateway's, and the subgraphs' refusals) now. */
  flushAudit(): Promise<void>;
  subgraphUrls: Record<Domain, string>;
  /** Counts every statement the subgraphs send (at the pg driver); `applications[domain]` tells them apart. */
  sql: SqlCounter;
  /** The application_name of each subgraph's connections. */
  applications: Record<Domain, string>;
  /** SQL statements each subgraph has sent since the last reset (read from `sql`). */
  readonly sqlCount: Record<Domain, number>;
  resetSqlCount(): void;
  /** Stops one subgraph (for readiness and failure tests). */
  stopSubgraph(domain: Domain): Promise<void>;
  stop(): Promise<void>;
}

export interface StackOptions {
  log?: Logger;
  /** Connections per subgraph. */
  poolSize?: number;
  /** Keep the text of every statement in `sql.trace`. */
  traceSql?: boolean;
  /** The gateway's NODE_ENV (production turns introspection, suggestions and the landing page off). */
  env?: 'development' | 'production' | 'test';
  /** Keys besides TEST_API_KEY (written to a key file, as API_KEYS_FILE would be). */
  keys?: ApiKeyEntry[];
  /** Requests per key and minute (default 0: no limit, so benchmarks are not throttled). */
  rateLimitPerMinute?: number;
  /** Estimated query cost per key and minute (default 0: no limit). */
  rateLimitCostPerMinute?: number;
  corsOrigins?: string[];
}

let stacks = 0;

/**
 * The three subgraphs and the gateway, in this process, on free ports, against `databaseUrl`:
 * the same builders `npm start` runs, over real HTTP. Used by the e2e tests and `npm run bench`.
 */
export async function startStack(databaseUrl: string, options: StackOptions = {}): Promise<Stack> {
  const log = options.log ?? createLogger('test-stack', process.env.TEST_LOG_LEVEL ?? 'silent');
  // Unique per stack, so two stacks in one process never count each other's statements.
  const id = ++stacks;
  const applications = Object.fromEntries(DOMAINS.map((d) => [d, `atlas-${d}-stack${id}`])) as Record<Domain, string>;
  const sql = new SqlCounter({ trace: options.traceSql });
  const running: Partial<Record<Domain, { listening: Listening; stop: () => Promise<void>; db: DataSource; audit: SubgraphAudit }>> = {};
  let gatewayListening: Listening | undefined;
  let gatewayStop: (() => Promise<void>) | undefined;
  let gatewayDb: DataSource | undefined;
  const gatewaySecret = newSecret();
  const keyDir = fs.mkdtempSync(path.join(os.tmpdir(), 'atlas-keys-'));
  const keyFile = path.join(keyDir, 'api-keys.json');
  fs.writeFileSync(keyFile, JSON.stringify([{ name: 'test-analyst', key: TEST_API_KEY, scopes: [...SCOPES] }, ...(options.keys ?? [])]), {
    mode: 0o600,
  });

  const stopSubgraph = async (domain: Domain) => {
    const s = running[domain];
    if (!s) return;
    delete running[domain];
    await s.listening.close();
    await s.stop();
    await s.audit.close();
    await s.db.destroy();
  };
  const stop = async () => {
    await gatewayListening?.close();
    await gatewayStop?.();
    await gatewayDb?.destroy();
    for (const d of [...DOMAINS].reverse()) await stopSubgraph(d);
    sql.stop();
    fs.rmSync(keyDir, { recursive: true, force: true });
  };

  try {
    for (const domain of DOMAINS) {
      const db = await openDomainDatabase({
        url: databaseUrl,
        schema: domain,
        poolSize: options.poolSize ?? 4,
        migrate: true,
        applicationName: applications[domain],
      });
      const audit = await openSubgraphAudit({ url: databaseUrl, applicationName: `${applications[domain]}-audit`, log });
      const server = await createSubgraphServer({
        definition: SUBGRAPHS[domain],
        dataSource: db,
        log: log.child({ service: domain }),
        gatewaySecret,
        audit: audit.writer,
      });
      running[domain] = { listening: await listen(server.app, 0, '127.0.0.1'), stop: server.stop, db, audit };
    }
    const subgraphs = Object.fromEntries(DOMAINS.map((d) => [d, { port: running[d]!.listening.port, url: running[d]!.listening.url }])) as Record<
      Domain,
      { port: number; url: string }
    >;
    gatewayDb = await openGatewayDatabase({ url: databaseUrl, poolSize: 2, migrate: true, applicationName: `atlas-gateway-stack${id}` });
    const gateway = await createGatewayServer(
      {
        supergraphPath: fromRoot('schema/supergraph.graphql'),
        subgraphs,
        readyTimeoutMs: 10000,
        subgraphTimeoutMs: 10000,
        env: options.env,
        // The dashboard (development) offers the key header from this file, as it would from API_KEYS_FILE.
        apiKeysFile: keyFile,
        corsOrigins: options.corsOrigins ?? [],
        rateLimitPerMinute: options.rateLimitPerMinute ?? 0,
        rateLimitCostPerMinute: options.rateLimitCostPerMinute ?? 0,
        auditRetentionDays: 30,
      },
      log,
      { keys: loadKeyRing(keyFile), gatewaySecret, dataSource: gatewayDb },
    );
    gatewayStop = gateway.stop;
    gatewayListening = await listen(gateway.app, 0, '127.0.0.1');
    const sqlCount = {} as Record<Domain, number>;
    for (const d of DOMAINS) Object.defineProperty(sqlCount, d, { enumerable: true, get: () => sql.statements(applications[d]) });
    return {
      gatewayUrl: gatewayListening.url,
      gatewaySecret,
      flushAudit: async () => {
        await gateway.flushAudit();
        for (const d of DOMAINS) await running[d]?.audit.writer.flush();
      },
      subgraphUrls: Object.fromEntries(DOMAINS.map((d) => [d, subgraphs[d].url])) as Record<Domain, string>,
      sql,
      applications,
      sqlCount,
      resetSqlCount: () => sql.reset(),
      stopSubgraph,
      stop,
    };
  } catch (err) {
    await stop().catch(() => undefined); // a half-started stack must not keep ports and pools open
    throw err;
  }
}

export interface GraphQLResponse<T = Record<string, unknown>> {
  data?: T | null;
  errors?: Array<{ message: string; path?: Array<string | number>; extensions?: Record<string, unknown> }>;
}

/** Headers of a request with this key (TEST_API_KEY by default; null: no Authorization header). */
export function authHeaders(key: string | null = TEST_API_KEY): Record<string, string> {
  return key === null ? {} : { authorization: `Bearer ${key}` };
}

/** POSTs a query as a client would, with TEST_API_KEY unless `key` says otherwise. */
export async function graphql<T = Record<string, unknown>>(
  url: string,
  query: string,
  variables?: Record<string, unknown>,
  key?: string | null,
): Promise<GraphQLResponse<T>> {
  return (await post(url, query, variables, key)).body as GraphQLResponse<T>;
}

/** Like graphql(), with the HTTP status and headers. */
export async function post(
  url: string,
  query: string,
  variables?: Record<string, unknown>,
  key?: string | null,
  headers: Record<string, string> = {},
) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...authHeaders(key), ...headers },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, headers: response.headers, body: (await response.json()) as GraphQLResponse };
}
