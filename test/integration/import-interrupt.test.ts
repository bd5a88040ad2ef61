import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generateObservationsCsv } from '../helpers/csv';
import { count, createTestDatabase, fingerprint } from '../helpers/database';
import { childEnv, spawnNode } from '../helpers/processes';

/** Ctrl-C in the middle of a big import: one line, exit 130, nothing written. */
describe('interrupting an import', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'atlas-interrupt-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('rolls everything back and says so', async () => {
    const url = await createTestDatabase('interrupt');
    const file = path.join(dir, 'big.csv');
    // 100,000 rows: 50 batches to stage and three merges, far more work than the interrupt lets it do.
    await generateObservationsCsv(file, { rows: 100_000, sourcePrefix: 'Interrupt test' });
    const before = await fingerprint(url);

    const run = spawnNode('dist/scripts/import.js', ['--no-progress', '--verbose', file], childEnv({ DATABASE_URL: url, LOG_LEVEL: 'silent' }));
    // The importer's own word that its transaction is open and rows are staged: no guessing with a sleep.
    await run.waitFor(/^staged 2000 rows of .*big\.csv \(2000 in all, transaction open, nothing committed yet\)$/m, 30_000);
    run.child.kill('SIGINT');
    const { code } = await run.exited();
    expect(code).toBe(130);
    expect(run.output()).toMatch(/import interrupted: its transaction was rolled back, nothing was written/);
    expect(run.output()).not.toMatch(/ rows from 1 file\(s\)/); // it did not get to its summary
    expect(run.output()).not.toMatch(/at .*\.js:\d+/); // no stack trace
    expect(await fingerprint(url)).toEqual(before);
    expect(await count(url, `SELECT count(*) AS n FROM infrastructure.source WHERE title LIKE 'Interrupt test%'`)).toBe(0);
  }, 60_000);

  it('leaves nothing half-written when killed outright (SIGKILL: no handler runs, Postgres rolls back the dead connection)', async () => {
    const url = await createTestDatabase('interrupt_kill');
    const file = path.join(dir, 'big-kill.csv');
    await generateObservationsCsv(file, { rows: 100_000, sourcePrefix: 'Kill test' });
    const before = await fingerprint(url);

    const run = spawnNode('dist/scripts/import.js', ['--no-progress', '--verbose', file], childEnv({ DATABASE_URL: url, LOG_LEVEL: 'silent' }));
    await run.waitFor(/^staged 2000 rows of .*big-kill\.csv \(2000 in all, transaction open, nothing committed yet\)$/m, 30_000);
    run.child.kill('SIGKILL');
    expect((await run.exited()).signal).toBe('SIGKILL');
    // Postgres ends the backend of a vanished client at once; its transaction goes with it.
    const backends = () =>
      count(url, `SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'atlas-import'`);
    const deadline = Date.now() + 30_000;
    while ((await backends()) > 0) {
      if (Date.now() > deadline) throw new Error("the killed import's database session is still there after 30 s");
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(await fingerprint(url)).toEqual(before);
    expect(await count(url, `SELECT count(*) AS n FROM infrastructure.source WHERE title LIKE 'Kill test%'`)).toBe(0);
  }, 60_000);
});
