import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { findRunningCluster } from '../../common/platform/database/embedded';
import { freePort } from '../helpers/ports';
import { childEnv, isAlive, spawnNode, type Spawned } from '../helpers/processes';
import { graphql, post } from '../helpers/stack';

/**
 * `npm start` as a user runs it (the compiled orchestrator, no DATABASE_URL): embedded Postgres in a
 * fresh DATA_DIR, migrations, seeds, three subgraph processes and the gateway; a CLI beside it on
 * the same DATA_DIR; SIGTERM stops everything; a second start reuses the data.
 */
describe('npm start', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'atlas-start-'));
  fs.chmodSync(root, 0o755);
  const dataDir = path.join(root, 'data');
  let env: NodeJS.ProcessEnv;
  let gatewayUrl: string;
  let started: Spawned | undefined;
  /** The all-scopes key the first start prints (and writes to DATA_DIR/api-keys.json). */
  let key: string;

  beforeAll(async () => {
    const [pg, gw, id, fin, infra] = await Promise.all([freePort(), freePort(), freePort(), freePort(), freePort()]);
    env = childEnv({
      DATA_DIR: dataDir,
      EMBEDDED_POSTGRES_PORT: String(pg),
      PORT: String(gw),
      IDENTITY_PORT: String(id),
      FINANCE_PORT: String(fin),
      INFRASTRUCTURE_PORT: String(infra),
      LOG_LEVEL: 'warn',
    });
    gatewayUrl = `http://127.0.0.1:${gw}/graphql`;
  });

  afterAll(async () => {
    if (started && started.child.exitCode === null) {
      started.child.kill('SIGKILL');
    }
    fs.rmSync(root, { recursive: true, force: true });
  });

  const acceptance = `{ localities(search: "son la", first: 5) { totalCount nodes { code name level parent { name }
    identity { __typename } finance { __typename } infrastructure { __typename } } } }`;

  async function observationCount(): Promise<number> {
    const body = await graphql(
      gatewayUrl,
      `
        {
          country: locality(code: "VN") {
            name
          }
          a: locality(code: "116") {
            identity {
              observationCount
            }
            finance {
              observationCount
            }
            infrastructure {
              observationCount
            }
          }
        }
      `,
      undefined,
      key,
    );
    const p = body.data!.a;
    return p.identity.observationCount + p.finance.observationCount + p.infrastructure.observationCount;
  }

  async function stop(run: Spawned, signal: NodeJS.Signals) {
    const cluster = findRunningCluster(dataDir);
    expect(cluster).toBeDefined();
    run.child.kill(signal);
    const { code } = await run.exited();
    expect(code).toBe(0);
    // Nothing left behind: Postgres gone, every port closed.
    expect(isAlive(cluster!.pid)).toBe(false);
    expect(findRunningCluster(dataDir)).toBeUndefined();
    for (const port of [env.PORT, env.IDENTITY_PORT, env.FINANCE_PORT, env.INFRASTRUCTURE_PORT]) {
      await expect(fetch(`http://127.0.0.1:${port}/health`)).rejects.toThrow();
    }
  }

  it('serves the acceptance query from a fresh DATA_DIR, then stops everything on SIGTERM', async () => {
    started = spawnNode('dist/scripts/start.js', [], env);
    await started.waitFor(/atlas is running/, 120_000);
    expect(started.output()).toContain(gatewayUrl);
    expect(started.output()).toMatch(/seed figures: [1-9]\d* inserted, 0 updated, 0 unchanged/);
    // No API_KEYS_FILE: a key file in DATA_DIR, owner-only, whose key is printed with a curl example that uses it.
    key = /API key:\s+(atlas_\S+)/.exec(started.output())![1];
    const keyFile = path.join(dataDir, 'api-keys.json');
    expect(fs.statSync(keyFile).mode & 0o777).toBe(0o600);
    expect(JSON.parse(fs.readFileSync(keyFile, 'utf8'))).toEqual([
      { name: 'analyst', key, scopes: ['identity', 'finance', 'infrastructure', 'admin'] },
    ]);
    expect(started.output()).toContain(`authorization: Bearer ${key}`);
    expect((await post(gatewayUrl, '{ locality(code: "VN") { name } }', undefined, null)).status).toBe(401);

    const body = await graphql(gatewayUrl, acceptance, undefined, key);
    expect(body.errors).toBeUndefined();
    const nodes = body.data!.localities.nodes;
    expect(nodes.slice(0, 2)).toEqual([
      {
        code: '14',
        name: 'Tỉnh Sơn La',
        level: 'PROVINCE',
        parent: { name: 'Việt Nam' },
        identity: { __typename: 'IdentityProfile' },
        finance: { __typename: 'FinanceProfile' },
        infrastructure: { __typename: 'InfrastructureProfile' },
      },
      {
        code: '116',
        name: 'Thành phố Sơn La',
        level: 'DISTRICT',
        parent: { name: 'Tỉnh Sơn La' },
        identity: { __typename: 'IdentityProfile' },
        finance: { __typename: 'FinanceProfile' },
        infrastructure: { __typename: 'InfrastructureProfile' },
      },
    ]);
    expect((await fetch(gatewayUrl.replace('/graphql', '/ready'))).status).toBe(200);
    const before = await observationCount();
    expect(before).toBeGreaterThan(0);

    // A CLI beside the running server uses its Postgres instead of starting a second one.
    const seed = spawnNode('dist/scripts/seed.js', [], env);
    const seeded = await seed.exited();
    expect(seed.output()).toMatch(/0 inserted, 0 updated, \d+ unchanged/);
    expect(seeded.code).toBe(0);
    expect(await observationCount()).toBe(before);

    await stop(started, 'SIGTERM');
  });

  it('reuses the data on a second start without duplicating rows, and stops on SIGINT', async () => {
    started = spawnNode('dist/scripts/start.js', [], env);
    await started.waitFor(/atlas is running/, 120_000);
    expect(started.output()).toMatch(/seed figures: 0 inserted, 0 updated, \d+ unchanged/);
    expect(started.output()).not.toContain(key); // printed once, when created; the file keeps it
    const body = await graphql(gatewayUrl, '{ localities(level: COMMUNE, first: 0) { totalCount } }', undefined, key);
    expect(body.data!.localities.totalCount).toBe(10047);
    await stop(started, 'SIGINT');
  });

  it('a CLI alone starts the embedded Postgres for itself and stops it when done', async () => {
    expect(findRunningCluster(dataDir)).toBeUndefined();
    const seed = spawnNode('dist/scripts/seed.js', [], env);
    const { code } = await seed.exited();
    expect(seed.output()).toMatch(/0 inserted, 0 updated, \d+ unchanged/);
    expect(code).toBe(0);
    expect(findRunningCluster(dataDir)).toBeUndefined();
    expect(fs.existsSync(path.join(dataDir, 'postgres.owner.json'))).toBe(false);
  });

  it('npm start waits for a running import that owns the database, instead of pulling it away', async () => {
    // An import big enough to be still running when npm start comes up.
    const communes = fs
      .readFileSync(path.join(__dirname, '..', '..', 'seeds', 'admin-units-2025-03-01.csv'), 'utf8')
      .split('\n')
      .filter((l) => l.includes(',commune,'))
      .map((l) => l.split(',')[0]);
    const file = path.join(root, 'big.csv');
    const lines = ['locality_code,indicator_code,value,numerator,denominator,qualifier,period_start,period_end,source_title,source_url'];
    for (const year of [2021, 2022, 2023]) {
      for (const code of communes)
        lines.push(`${code},infrastructure.stations.base_stations,${year - 2000},,,EXACT,,${year}-12-31,Test census ${year},`);
    }
    fs.writeFileSync(file, lines.join('\n') + '\n');
    const importing = spawnNode('dist/scripts/import.js', ['--no-progress', file], env);
    const deadline = Date.now() + 30_000;
    while (!fs.existsSync(path.join(dataDir, 'postgres.owner.json')) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    started = spawnNode('dist/scripts/start.js', [], env);
    const imported = await importing.exited();
    expect(importing.output()).toMatch(new RegExp(`${lines.length - 1} rows from 1 file\\(s\\): ${lines.length - 1} inserted`));
    expect(imported.code).toBe(0);
    await started.waitFor(/atlas is running/, 120_000);
    expect(started.output()).toMatch(/waiting for the command \(pid \d+\) that started the embedded Postgres to finish/);
    const body = await graphql(
      gatewayUrl,
      '{ locality(code: "03646") { infrastructure { baseStations { value period { end } } } } }',
      undefined,
      key,
    );
    expect(body.data!.locality.infrastructure.baseStations).toEqual({ value: 23, period: { end: '2023-12-31' } });
    await stop(started, 'SIGTERM');
  });
});
