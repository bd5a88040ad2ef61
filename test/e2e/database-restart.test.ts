import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DOMAINS, type Domain } from '../../common/core/domain';
import { prepareDatabase } from '../../common/data/seed/seed';
import { embeddedUrl } from '../../common/platform/database/embedded';
import { createLogger } from '../../common/platform/logger';
import { fromRoot } from '../../common/platform/paths';
import { freePort } from '../helpers/ports';
import { childEnv, spawnNode, type Spawned } from '../helpers/processes';
import { startProcessStack, type ProcessStack } from '../helpers/process-stack';
import { authHeaders, type GraphQLResponse } from '../helpers/stack';
import { within } from '../helpers/wait';

/**
 * Postgres stopped and started again under running subgraphs and gateway (real processes, on a Postgres of this
 * file's own, never the suite's): while it is down every answer is a quick DATABASE_UNAVAILABLE, after it is back
 * the same processes answer again, with no restart.
 */
const START_MS = 90_000;
// A hang is what this file guards against: any answer slower than this fails (DB_CONNECT_TIMEOUT_MS is 1 s here).
const ANSWER_MS = 10_000;
const QUERY = '{ locality(code: "14") { name identity { observationCount } finance { observationCount } infrastructure { observationCount } } }';

describe('a Postgres restart', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'atlas-pg-restart-'));
  fs.chmodSync(dataDir, 0o755); // the postgres user (when we are root) must traverse it
  let postgres: Spawned | undefined;
  let pgEnv: NodeJS.ProcessEnv;
  let stack: ProcessStack | undefined;
  let gatewayUrl: string;
  let readyUrl: string;

  const startPostgres = async () => {
    postgres = spawnNode('dist/scripts/postgres.js', [], pgEnv);
    await postgres.waitFor(/embedded Postgres started/, START_MS);
  };
  const stopPostgres = async () => {
    if (!postgres || postgres.child.exitCode !== null || postgres.child.signalCode !== null) return;
    postgres.child.kill('SIGTERM');
    await within(postgres.exited(), 60_000, 'the test Postgres to stop', () => postgres!.output());
  };
  const query = async (): Promise<{ status: number; body: GraphQLResponse }> => {
    const response = await fetch(gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...authHeaders() },
      body: JSON.stringify({ query: QUERY }),
      signal: AbortSignal.timeout(ANSWER_MS),
    });
    return { status: response.status, body: (await response.json()) as GraphQLResponse };
  };

  beforeAll(async () => {
    const pgPort = await freePort();
    pgEnv = childEnv({ LOG_LEVEL: 'info', LOG_FORMAT: 'json', DATA_DIR: dataDir, EMBEDDED_POSTGRES_PORT: String(pgPort) });
    await startPostgres();
    const url = embeddedUrl(pgPort);
    await prepareDatabase(url, fromRoot('seeds'), createLogger('test-pg-restart', 'warn')); // registry and catalogue: enough to answer QUERY
    stack = await startProcessStack(url, {
      // The gateway's own rate-limit counter lives in the same Postgres: it must not block requests while it is down.
      env: { DB_CONNECT_TIMEOUT_MS: '1000', RATE_LIMIT_PER_MINUTE: '1000' },
    });
    gatewayUrl = stack.gatewayUrls[0];
    readyUrl = new URL('/ready', gatewayUrl).toString();
  }, 3 * START_MS);

  afterAll(async () => {
    await stack?.stop(); // services first, Postgres last, as `npm start` stops them
    await stopPostgres();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }, 120_000);

  it(
    'answers a clear error quickly while it is down, and serves again once it is back, without a restart',
    async () => {
      const before = await query();
      expect(before.body).toEqual({
        data: {
          locality: {
            name: 'Tỉnh Sơn La',
            identity: { observationCount: 0 },
            finance: { observationCount: 0 },
            infrastructure: { observationCount: 0 },
          },
        },
      });

      await stopPostgres();
      const down = await query();
      expect(down.status).toBe(200);
      // The root fetch needs the registry: it fails whole, with the database named, no SQL, no stack trace.
      expect(down.body.data).toEqual({ locality: null });
      expect(down.body.errors?.length).toBeGreaterThan(0);
      for (const error of down.body.errors ?? []) {
        expect(error.extensions?.code).toBe('DATABASE_UNAVAILABLE');
        expect(error.message).toMatch(/database is unavailable/);
      }
      expect(JSON.stringify(down.body)).not.toMatch(/ECONNREFUSED|127\.0\.0\.1|stacktrace|SELECT/);
      const ready = await fetch(readyUrl, { signal: AbortSignal.timeout(ANSWER_MS) });
      expect(ready.status).toBe(503);
      const readiness = (await ready.json()) as { subgraphs: Record<Domain, { database: string }> };
      for (const d of DOMAINS) expect(readiness.subgraphs[d].database).toBe('unavailable');

      await startPostgres();
      const after = await query();
      expect(after.body).toEqual(before.body);
      expect((await fetch(readyUrl, { signal: AbortSignal.timeout(ANSWER_MS) })).status).toBe(200);
      // Same processes throughout: none of them restarted or exited.
      expect(stack!.running()).toBe(true);
    },
    3 * START_MS,
  );
});
