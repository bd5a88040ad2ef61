import fs from 'node:fs';
import path from 'node:path';
import { findRunningCluster } from '../../../common/platform/database/embedded';
import { graphql } from '../../helpers/stack';
import { eventually, processGone, within } from '../../helpers/wait';
import { bannerPids, startFixture, type StartFixture } from './start.fixture';

/**
 * `npm start`'s supervisor, with real processes: a subgraph killed with SIGKILL costs only its own fields and comes
 * back by itself; after RESTART_LIMIT crashes in the window it is given up on while the others keep serving;
 * the gateway is restarted the same way; Postgres dying is reported and it is started again.
 */

const START_MS = 120_000;
// Long enough that the query below certainly runs while identity is down; short enough for the test.
const BACKOFF_MS = 4000;

const QUERY = `{ locality(code: "116") { name identity { activatedEidAccounts { value } } finance { observationCount } infrastructure { baseStations { value } } } }`;
interface Answer {
  locality: {
    name: string;
    identity: { activatedEidAccounts: { value: number } | null } | null;
    finance: { observationCount: number } | null;
    infrastructure: { baseStations: { value: number } | null } | null;
  } | null;
}

describe('npm start supervises its services', () => {
  let fx: StartFixture;
  beforeAll(async () => {
    fx = await startFixture({ RESTART_BACKOFF_MS: String(BACKOFF_MS), RESTART_LIMIT: '2', RESTART_WINDOW_MS: '600000' });
  });
  afterAll(() => fx?.cleanup());

  const msg = (text: string) => new RegExp(`"msg":"${text}`);

  it(
    'restarts a killed subgraph (only its fields are lost meanwhile), gives up after the limit, restarts the gateway and reports Postgres dying',
    async () => {
      const started = fx.run('dist/scripts/start.js');
      await started.waitFor(/atlas is running/, START_MS);
      const key = /API key:\s+(atlas_\S+)/.exec(started.output())![1];
      const pids = bannerPids(started.output());
      Object.values(pids).forEach((pid) => fx.track(pid));
      const ask = () => graphql<Answer>(fx.gatewayUrl, QUERY, undefined, key);
      const healthy = await ask();
      expect(healthy.errors).toBeUndefined();
      expect(healthy.data!.locality!.identity).toEqual({ activatedEidAccounts: { value: 68000 } });

      // 1. identity killed: its fields are null with an error naming it; the other domains still answer.
      process.kill(pids.identity, 'SIGKILL');
      await started.waitFor(msg(`identity \\(pid ${pids.identity}\\) exited unexpectedly \\(SIGKILL\\); crash 1 of 2`), 30_000);
      const partial = await ask();
      expect(started.output()).not.toMatch(msg('identity restarted')); // still inside the backoff: the answer above is the outage's
      expect(partial.data!.locality).toEqual({
        name: 'Thành phố Sơn La',
        identity: null,
        finance: { observationCount: expect.any(Number) as unknown },
        infrastructure: { baseStations: { value: 225 } },
      });
      expect(partial.errors!.map((e) => e.extensions?.serviceName)).toContain('identity');
      expect(partial.errors!.every((e) => e.extensions?.serviceName === 'identity')).toBe(true);

      // 2. It comes back by itself, with no request from anyone.
      await started.waitFor(msg('identity restarted and serving again'), START_MS);
      const identityPid = Number(/identity restarted and serving again \(pid (\d+)\)/.exec(started.output())![1]);
      fx.track(identityPid);
      expect(identityPid).not.toBe(pids.identity);
      const back = await ask();
      expect(back.errors).toBeUndefined();
      expect(back.data).toEqual(healthy.data);

      // 3. A second crash within the window reaches RESTART_LIMIT=2: given up on, said clearly, the rest keeps serving.
      process.kill(identityPid, 'SIGKILL');
      await started.waitFor(msg('identity crashed 2 times within 600 s \\(last: SIGKILL\\): giving up on it'), 30_000);
      const without = await ask();
      expect(without.data!.locality!.identity).toBeNull();
      expect(without.data!.locality!.infrastructure).toEqual({ baseStations: { value: 225 } });

      // 4. The gateway is supervised too.
      process.kill(pids.gateway, 'SIGKILL');
      await started.waitFor(msg(`gateway \\(pid ${pids.gateway}\\) exited unexpectedly`), 30_000);
      await started.waitFor(msg('gateway restarted and serving again'), START_MS);
      fx.track(Number(/gateway restarted and serving again \(pid (\d+)\)/.exec(started.output())![1]));
      expect((await ask()).data!.locality!.finance).toEqual(healthy.data!.locality!.finance);

      // 5. Postgres dying is reported, and it is started again.
      const postmaster = findRunningCluster(fx.dataDir)!.pid;
      process.kill(postmaster, 'SIGKILL');
      await started.waitFor(msg(`Postgres \\(postmaster pid ${postmaster}\\) died: the database is down`), 30_000);
      await started.waitFor(msg('postgres \\(pid \\d+\\) exited unexpectedly \\(code 1\\).*the database is down'), 30_000);
      await started.waitFor(msg('postgres restarted and serving again'), START_MS);
      const pgPid = Number(/postgres restarted and serving again \(pid (\d+)\)/.exec(started.output())![1]);
      fx.track(pgPid);
      fx.track(findRunningCluster(fx.dataDir)!.pid);
      // The subgraphs reconnect by themselves (pg pools open new connections): finance answers again.
      await eventually(
        async () => ((await ask()).data?.locality?.finance ? true : undefined),
        60_000,
        'finance to answer again after the Postgres restart',
      );

      // A stop after giving up on a service exits 1 and says which.
      started.child.kill('SIGTERM');
      const { code } = await within(started.closed(), 100_000, 'npm start to exit (and its output to end) after SIGTERM', () =>
        started.output().slice(-3000),
      );
      expect(started.stderr()).toContain('npm start stopped with identity given up on after repeated crashes');
      expect(code).toBe(1);
      expect(processGone(pgPid)).toBe(true);
      expect(findRunningCluster(fx.dataDir)).toBeUndefined();
    },
    6 * START_MS,
  );

  it(
    'restarts the Postgres child killed with SIGKILL, stopping the postmaster it left behind, and still stops everything',
    async () => {
      const started = fx.run('dist/scripts/start.js');
      await started.waitFor(/atlas is running/, START_MS);
      const [{ key }] = JSON.parse(fs.readFileSync(path.join(fx.dataDir, 'api-keys.json'), 'utf8')) as Array<{ key: string }>;
      const pids = bannerPids(started.output());
      Object.values(pids).forEach((pid) => fx.track(pid));
      const orphan = findRunningCluster(fx.dataDir)!.pid;
      fx.track(orphan);
      process.kill(pids.postgres, 'SIGKILL');
      await started.waitFor(msg(`postgres \\(pid ${pids.postgres}\\) exited unexpectedly \\(SIGKILL\\)`), 30_000);
      await started.waitFor(msg(`stopping the Postgres \\(postmaster pid ${orphan}\\) the dead postgres child left running`), 30_000);
      await started.waitFor(msg('postgres restarted and serving again'), START_MS);
      expect(processGone(orphan)).toBe(true);
      const postmaster = findRunningCluster(fx.dataDir)!.pid;
      fx.track(postmaster);
      fx.track(Number(/postgres restarted and serving again \(pid (\d+)\)/.exec(started.output())![1]));
      const answer = await eventually(
        async () => {
          const body = await graphql<Answer>(fx.gatewayUrl, QUERY, undefined, key);
          return body.errors ? undefined : body.data;
        },
        60_000,
        'every domain to answer again after the Postgres restart',
      );
      expect(answer!.locality!.identity).toEqual({ activatedEidAccounts: { value: 68000 } });
      started.child.kill('SIGTERM');
      const { code } = await within(started.closed(), 100_000, 'npm start to exit after SIGTERM', () => started.output().slice(-3000));
      expect(code).toBe(0);
      expect(processGone(postmaster)).toBe(true);
      expect(findRunningCluster(fx.dataDir)).toBeUndefined();
    },
    3 * START_MS,
  );
});
