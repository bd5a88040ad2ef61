import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DOMAINS, type Domain } from '../../common/core/domain';
import { SCOPES } from '../../common/core/scopes';
import { prepareDatabase } from '../../common/data/seed/seed';
import { embeddedUrl } from '../../common/platform/database/embedded';
import { createLogger } from '../../common/platform/logger';
import { fromRoot } from '../../common/platform/paths';
import { newSecret } from '../../common/platform/security/gateway-signature';
import { freePort } from '../helpers/ports';
import { childEnv, spawnNode, type Spawned } from '../helpers/processes';
import { authHeaders, TEST_API_KEY, type GraphQLResponse } from '../helpers/stack';
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
  const spawned: Spawned[] = [];
  let postgres: Spawned | undefined;
  let pgEnv: NodeJS.ProcessEnv;
  let gatewayUrl: string;
  let readyUrl: string;

  const start = async (script: string, env: NodeJS.ProcessEnv, ready: RegExp): Promise<Spawned> => {
    const s = spawnNode(script, [], env);
    spawned.push(s);
    await s.waitFor(ready, START_MS);
    return s;
  };
  const startPostgres = async () => {
    postgres = await start('dist/scripts/postgres.js', pgEnv, /embedded Postgres started/);
  };
  const stopPostgres = async () => {
    postgres?.child.kill('SIGTERM');
    await within(postgres!.exited(), 60_000, 'the test Postgres to stop', () => postgres!.output());
  };
  const query = async (): Promise<{ ms: number; status: number; body: GraphQLResponse }> => {
    const began = Date.now();
    const response = await fetch(gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...authHeaders() },
      body: JSON.stringify({ query: QUERY }),
      signal: AbortSignal.timeout(ANSWER_MS),
    });
    return { ms: Date.now() - began, status: response.status, body: (await response.json()) as GraphQLResponse };
  };

  beforeAll(async () => {
    const [pgPort, gatewayPort, ...subgraphPorts] = await Promise.all([freePort(), freePort(), ...DOMAINS.map(() => freePort())]);
    const ports = Object.fromEntries(DOMAINS.map((d, i) => [d, subgraphPorts[i]])) as Record<Domain, number>;
    const base = { LOG_LEVEL: 'info', LOG_FORMAT: 'json' };
    pgEnv = childEnv({ ...base, DATA_DIR: dataDir, EMBEDDED_POSTGRES_PORT: String(pgPort) });
    await startPostgres();
    const url = embeddedUrl(pgPort);
    await prepareDatabase(url, fromRoot('seeds'), createLogger('test-pg-restart', 'warn')); // registry and catalogue: enough to answer QUERY

    const keyFile = path.join(dataDir, 'api-keys.json');
    fs.writeFileSync(keyFile, JSON.stringify([{ name: 'test-analyst', key: TEST_API_KEY, scopes: [...SCOPES] }]), { mode: 0o600 });
    const serviceEnv = {
      ...base,
      DATABASE_URL: url,
      GATEWAY_SECRET: newSecret(),
      DB_CONNECT_TIMEOUT_MS: '1000',
      DB_POOL_SIZE: '2',
      READY_TIMEOUT_MS: '5000',
      RATE_LIMIT_PER_MINUTE: '1000', // the gateway's own counter lives in the same Postgres: it must not block requests while it is down
    };
    const urls = Object.fromEntries(DOMAINS.map((d) => [`${d.toUpperCase()}_URL`, `http://127.0.0.1:${ports[d]}/graphql`]));
    await Promise.all(
      DOMAINS.map((d) =>
        start(
          `dist/subgraphs/${d}/index.js`,
          childEnv({ ...serviceEnv, [`${d.toUpperCase()}_PORT`]: String(ports[d]), MIGRATE_ON_START: 'false' }),
          /subgraph ready/,
        ),
      ),
    );
    await start(
      'dist/gateway/index.js',
      childEnv({ ...serviceEnv, ...urls, PORT: String(gatewayPort), API_KEYS_FILE: keyFile, MIGRATE_ON_START: 'true' }),
      /gateway ready/,
    );
    gatewayUrl = `http://127.0.0.1:${gatewayPort}/graphql`;
    readyUrl = `http://127.0.0.1:${gatewayPort}/ready`;
  }, 4 * START_MS);

  afterAll(async () => {
    // Services first, Postgres last, as `npm start` stops them.
    const services = spawned.filter((s) => s !== postgres && !/postgres\.js/.test(String(s.child.spawnargs[1])));
    for (const s of [...services.reverse(), ...(postgres ? [postgres] : [])]) {
      if (s.child.exitCode === null && s.child.signalCode === null) s.child.kill('SIGTERM');
      await within(s.exited(), 60_000, 'a test process to stop', () => s.output()).catch(() => s.child.kill('SIGKILL'));
    }
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
      for (const s of spawned.slice(1)) expect(s.child.exitCode).toBeNull();
    },
    3 * START_MS,
  );
});
