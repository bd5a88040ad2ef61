import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { clusterOwner, embeddedUrl, findRunningCluster, portIsFree } from '../../../common/platform/database/embedded';
import { fromRoot } from '../../../common/platform/paths';
import { withClient } from '../../helpers/database';
import { type Spawned } from '../../helpers/processes';
import { writeVintage } from '../../integration/registry-import.fixtures';
import { graphql, post } from '../../helpers/stack';
import { processGone, waitUntil, within } from '../../helpers/wait';
import { bannerPids, startFixture, type StartFixture } from './start.fixture';

/**
 * `npm start` as a user runs it (the compiled orchestrator, no DATABASE_URL): embedded Postgres in a
 * fresh DATA_DIR, migrations, seeds, three subgraph processes and the gateway; a CLI beside it on
 * the same DATA_DIR; Ctrl-C, SIGTERM and a SIGKILL of the orchestrator leave no process behind; a
 * second start reuses the data.
 */

// Every wait below is bounded, and each test's own timeout is larger than the waits inside it.
const START_MS = 120_000;
const STOP_MS = 100_000; // above 5 children x 15 s before SIGKILL: an escalation fails with its own message
const TEST_MS = START_MS + STOP_MS + 60_000;
const SERVICES = ['postgres', 'identity', 'finance', 'infrastructure', 'gateway'];

// Derived from the seed files, so a figure added or lost in seeds/observations changes the expectation.
const SEED_FIGURES = fs
  .readdirSync(fromRoot('seeds/observations'))
  .filter((f) => f.endsWith('.csv'))
  .reduce((n, f) => n + parse<Record<string, string>>(fs.readFileSync(fromRoot('seeds/observations', f), 'utf8'), { columns: true }).length, 0);

describe('npm start', () => {
  let fixture: StartFixture;
  let root: string;
  let dataDir: string;
  let env: NodeJS.ProcessEnv;
  let gatewayUrl: string;
  const run = (script: string, args: string[] = [], extra: Record<string, string> = {}) => fixture.run(script, args, extra);

  beforeAll(async () => {
    fixture = await startFixture();
    ({ root, dataDir, env, gatewayUrl } = fixture);
  });

  afterAll(() => fixture?.cleanup());

  const acceptance = `{ localities(search: "son la", first: 5) { totalCount nodes { code name level parent { name }
    identity { __typename } finance { __typename } infrastructure { __typename } } } }`;

  /** The all-scopes key the first start prints (and writes to DATA_DIR/api-keys.json, mode 0600). */
  let key = '';

  async function observationCount(): Promise<number> {
    const body = await graphql<{
      country: { name: string } | null;
      a: Record<'identity' | 'finance' | 'infrastructure', { observationCount: number }>;
    }>(
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

  async function storedObservations(): Promise<number> {
    const url = embeddedUrl(Number(env.EMBEDDED_POSTGRES_PORT));
    const sql = `SELECT (SELECT count(*) FROM identity.observation) + (SELECT count(*) FROM finance.observation)
                      + (SELECT count(*) FROM infrastructure.observation) AS n`;
    return withClient(url, async (c) => Number((await c.query<{ n: string }>(sql)).rows[0].n));
  }

  /** The orchestrator's processes from its banner line `PIDs: start 1, postgres 2, ...`, plus the postmaster. */
  function processes(started: Spawned): Record<string, number> {
    const pids = bannerPids(started.output());
    expect(Object.keys(pids)).toEqual(['start', ...SERVICES]);
    const cluster = findRunningCluster(dataDir);
    expect(cluster).toBeDefined();
    const all = { ...pids, postmaster: cluster!.pid };
    Object.values(all).forEach((pid) => fixture.track(pid));
    expect(Object.values(all).filter(processGone)).toEqual([]);
    return all;
  }

  async function portsClosed() {
    const ports = [env.PORT, env.IDENTITY_PORT, env.FINANCE_PORT, env.INFRASTRUCTURE_PORT, env.EMBEDDED_POSTGRES_PORT].map(Number);
    const taken = [];
    for (const port of ports) if (!(await portIsFree(port))) taken.push(port);
    expect(taken).toEqual([]);
  }

  /** Ctrl-C or SIGTERM: the orchestrator stops every child itself, none needing SIGKILL, before it exits 0. */
  async function stop(started: Spawned, signal: NodeJS.Signals) {
    const pids = processes(started);
    started.child.kill(signal);
    const { code } = await within(started.exited(), STOP_MS, `npm start to exit after ${signal}`, () => started.output().slice(-3000));
    // Exit code 1 and this line are how the orchestrator reports a child it had to kill or that failed to stop.
    expect(started.output()).not.toMatch(/did not stop/);
    expect(code).toBe(0);
    // It waited for each child, so they are gone when it exits: checked by PID, not only by port.
    expect(Object.entries(pids).filter(([, pid]) => !processGone(pid))).toEqual([]);
    expect(findRunningCluster(dataDir)).toBeUndefined();
    await portsClosed();
  }

  it(
    'serves the acceptance query from a fresh DATA_DIR with exactly the seed figures, then stops everything on SIGTERM',
    async () => {
      const started = run('dist/scripts/start.js');
      await started.waitFor(/atlas is running/, START_MS);
      expect(started.output()).toContain(gatewayUrl);
      expect(SEED_FIGURES).toBeGreaterThan(0);
      expect(started.output()).toContain(`seed figures: ${SEED_FIGURES} inserted, 0 updated, 0 unchanged`);
      expect(await storedObservations()).toBe(SEED_FIGURES);
      // No API_KEYS_FILE: a key file in DATA_DIR, owner-only, whose key is printed with a curl example that uses it.
      key = /API key:\s+(atlas_\S+)/.exec(started.output())![1];
      const keyFile = path.join(dataDir, 'api-keys.json');
      expect(fs.statSync(keyFile).mode & 0o777).toBe(0o600);
      expect(JSON.parse(fs.readFileSync(keyFile, 'utf8'))).toEqual([
        { name: 'analyst', key, scopes: ['identity', 'finance', 'infrastructure', 'admin'] },
      ]);
      expect(started.output()).toContain(`authorization: Bearer ${key}`);
      expect((await post(gatewayUrl, '{ locality(code: "VN") { name } }', undefined, null)).status).toBe(401);

      const body = await graphql<{ localities: { totalCount: number; nodes: unknown[] } }>(gatewayUrl, acceptance, undefined, key);
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
        // Issue 10: search spans both registries, so Sơn La from 1 July 2025 follows the pre-reform one (smoke: acceptance-son-la).
        {
          code: '2025:14',
          name: 'Tỉnh Sơn La',
          level: 'PROVINCE',
          parent: { name: 'Việt Nam' },
          identity: { __typename: 'IdentityProfile' },
          finance: { __typename: 'FinanceProfile' },
          infrastructure: { __typename: 'InfrastructureProfile' },
        },
      ]);
      expect((await fetch(gatewayUrl.replace('/graphql', '/ready'))).status).toBe(200);
      const before = await observationCount();
      expect(before).toBeGreaterThan(0);

      // A CLI beside the running server uses its Postgres instead of starting a second one.
      const seed = run('dist/scripts/seed.js');
      const seeded = await within(seed.exited(), START_MS, 'npm run seed beside npm start to finish');
      expect(seed.output()).toContain(`0 inserted, 0 updated, ${SEED_FIGURES} unchanged`);
      expect(seeded.code).toBe(0);
      expect(await observationCount()).toBe(before);
      expect(await storedObservations()).toBe(SEED_FIGURES);

      await stop(started, 'SIGTERM');
    },
    TEST_MS,
  );

  it(
    'reuses the data on a second start without duplicating rows, and stops on Ctrl-C (SIGINT)',
    async () => {
      const started = run('dist/scripts/start.js');
      await started.waitFor(/atlas is running/, START_MS);
      expect(started.output()).toContain(`seed figures: 0 inserted, 0 updated, ${SEED_FIGURES} unchanged`);
      expect(await storedObservations()).toBe(SEED_FIGURES);
      expect(started.output()).not.toContain(key); // printed once, when created; the file keeps it
      const body = await graphql<{ localities: { totalCount: number } }>(
        gatewayUrl,
        '{ localities(level: COMMUNE, first: 0) { totalCount } }',
        undefined,
        key,
      );
      expect(body.data!.localities.totalCount).toBe(10047 + 3321); // both registries (issue 10)
      // A later GSO list, loaded beside it with one command on the same DATA_DIR (no DATABASE_URL), is served at once.
      const vintageDir = path.join(root, 'gso-2026-01-01');
      fs.mkdirSync(vintageDir);
      const { units } = writeVintage(vintageDir);
      const importing = run('dist/scripts/import-registry.js', ['--vintage', '2026-01-01', vintageDir]);
      const imported = await within(importing.exited(), START_MS, 'npm run import:registry to finish');
      expect(importing.output()).toContain(`vintage 2026-01-01 (keys 2026:<GSO code>): ${units} units`);
      expect(imported.code).toBe(0);
      const after = await graphql<{ locality: { code: string; validFrom: string } }>(
        gatewayUrl,
        '{ locality(code: "00005", asOf: "2026-01-01") { code validFrom } }',
        undefined,
        key,
      );
      expect(after.data!.locality).toEqual({ code: '2026:00005', validFrom: '2026-01-01' });
      await stop(started, 'SIGINT');
    },
    TEST_MS,
  );

  it(
    'leaves no process behind when the orchestrator itself is killed with SIGKILL',
    async () => {
      const started = run('dist/scripts/start.js');
      await started.waitFor(/atlas is running/, START_MS);
      const { start, ...children } = processes(started);
      // The children write to the pipe they inherited from the orchestrator: it closes once the last one exits.
      const closed = Promise.all([started.child.stdout!, started.child.stderr!].map((s) => new Promise((r) => s.once('close', r))));
      started.child.kill('SIGKILL');
      expect(await within(started.exited(), STOP_MS, 'the orchestrator to die')).toEqual({ code: null, signal: 'SIGKILL' });
      expect(processGone(start)).toBe(true);
      await waitUntil(
        () => Object.values(children).every(processGone),
        STOP_MS,
        'every child of the killed orchestrator to exit',
        () => `still running: ${JSON.stringify(Object.entries(children).filter(([, pid]) => !processGone(pid)))}`,
      );
      await within(closed, STOP_MS, 'the output pipe of the children to close');
      // Each child stopped itself: no forced exit after its 10 s budget, no failed stop (both logged at error).
      expect(started.output()).not.toMatch(/shutdown took over|shutdown failed/);
      // Only the postgres child's clean stop (Postgres down, then the file removed) deletes the owner file.
      expect(fs.existsSync(path.join(dataDir, 'postgres.owner.json'))).toBe(false);
      expect(findRunningCluster(dataDir)).toBeUndefined();
      await portsClosed();
    },
    TEST_MS,
  );

  it(
    'a CLI alone starts the embedded Postgres for itself and stops it when done',
    async () => {
      expect(findRunningCluster(dataDir)).toBeUndefined();
      const seed = run('dist/scripts/seed.js');
      const { code } = await within(seed.exited(), START_MS, 'npm run seed to finish');
      expect(seed.output()).toContain(`0 inserted, 0 updated, ${SEED_FIGURES} unchanged`);
      expect(code).toBe(0);
      expect(findRunningCluster(dataDir)).toBeUndefined();
      expect(fs.existsSync(path.join(dataDir, 'postgres.owner.json'))).toBe(false);
    },
    START_MS + 30_000,
  );

  it(
    'npm start waits for a running import that owns the database, instead of pulling it away',
    async () => {
      const communes = fs
        .readFileSync(fromRoot('seeds', 'admin-units-2025-03-01.csv'), 'utf8')
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
      const importing = run('dist/scripts/import.js', ['--no-progress', file]);
      const owns = () => clusterOwner(dataDir)?.pid === importing.child.pid;
      await waitUntil(() => owns() || importing.child.exitCode !== null, START_MS, 'the import to start the embedded Postgres as its owner');
      expect([owns(), importing.child.exitCode]).toEqual([true, null]);
      // Held still (not killed) so it is certainly running while npm start looks: no race with its speed.
      importing.child.kill('SIGSTOP');
      const started = run('dist/scripts/start.js');
      try {
        await started.waitFor(
          new RegExp(`waiting for the command \\(pid ${importing.child.pid}\\) that started the embedded Postgres to finish`),
          START_MS,
        );
        expect(started.output()).not.toMatch(/atlas is running/);
      } finally {
        importing.child.kill('SIGCONT');
      }
      const imported = await within(importing.exited(), START_MS, 'the import to finish');
      expect(importing.output()).toMatch(new RegExp(`${lines.length - 1} rows from 1 file\\(s\\): ${lines.length - 1} inserted`));
      expect(imported.code).toBe(0);
      await started.waitFor(/atlas is running/, START_MS);
      const body = await graphql<{ locality: { infrastructure: { baseStations: { value: number; period: { end: string | null } | null } | null } } }>(
        gatewayUrl,
        '{ locality(code: "03646") { infrastructure { baseStations { value period { end } } } } }',
        undefined,
        key,
      );
      expect(body.data!.locality.infrastructure.baseStations).toEqual({ value: 23, period: { end: '2023-12-31' } });
      expect(await storedObservations()).toBe(SEED_FIGURES + lines.length - 1);
      await stop(started, 'SIGTERM');
    },
    2 * START_MS + STOP_MS + 60_000,
  );
});
