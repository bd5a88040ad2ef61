import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { count, createTestDatabase } from '../helpers/database';
import { childEnv, spawnNode } from '../helpers/processes';

/** Ctrl-C in the middle of a big import: one line, exit 130, nothing written. */
describe('interrupting an import', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'atlas-interrupt-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('rolls everything back and says so', async () => {
    const url = await createTestDatabase('interrupt');
    const before = await count(url, 'SELECT count(*) AS n FROM infrastructure.observation');
    const communes = fs
      .readFileSync(path.join(__dirname, '..', '..', 'seeds', 'admin-units-2025-03-01.csv'), 'utf8')
      .split('\n')
      .filter((l) => l.includes(',commune,'))
      .map((l) => l.split(',')[0]);
    const lines = ['locality_code,indicator_code,value,numerator,denominator,qualifier,period_start,period_end,source_title,source_url'];
    for (let year = 2000; year < 2020; year++) {
      for (const code of communes) lines.push(`${code},infrastructure.stations.base_stations,${year - 1990},,,EXACT,,${year}-12-31,Interrupt test,`);
    }
    const file = path.join(dir, 'big.csv');
    fs.writeFileSync(file, lines.join('\n') + '\n');

    const run = spawnNode('dist/scripts/import.js', ['--no-progress', file], childEnv({ DATABASE_URL: url, LOG_LEVEL: 'silent' }));
    // Let it get well into the file, then interrupt.
    await new Promise((r) => setTimeout(r, 1500));
    expect(run.child.exitCode).toBeNull();
    run.child.kill('SIGINT');
    const { code } = await run.exited();
    expect(code).toBe(130);
    expect(run.output()).toMatch(/import interrupted: its transaction was rolled back, nothing was written/);
    expect(run.output()).not.toMatch(/at .*\.js:\d+/); // no stack trace
    expect(await count(url, 'SELECT count(*) AS n FROM infrastructure.observation')).toBe(before);
    expect(await count(url, `SELECT count(*) AS n FROM infrastructure.source WHERE title = 'Interrupt test'`)).toBe(0);
  }, 60_000);
});
