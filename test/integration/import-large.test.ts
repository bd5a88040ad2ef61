/** A large file streams through in chunks (one file, ~30,000 rows, all three domains) and re-imports as unchanged. */
import fs from 'node:fs';
import path from 'node:path';
import { DOMAINS } from '../../common/core/domain';
import { importFiles } from '../../common/data/seed/seed';
import { communeCodes, generateObservationsCsv } from '../helpers/csv';
import { createTestDatabase, fingerprint } from '../helpers/database';
import { tempFiles } from './import.fixtures';

const { dir } = tempFiles();

describe('importFiles: streaming a large file', () => {
  let url: string;
  beforeAll(async () => {
    url = await createTestDatabase('import_big');
  });

  it('imports ~30,000 rows across all three domains, then re-imports them as unchanged', async () => {
    const communes = communeCodes();
    expect(communes.length).toBeGreaterThan(10_000);
    // The generator `npm run bench` uses: one COUNT and one PERCENT indicator per domain, one year, one source per domain.
    const file = path.join(dir(), 'big.csv');
    const generated = await generateObservationsCsv(file, { rows: 30_000, communes: communes.slice(0, 5_000), sourcePrefix: 'Atlas import test' });
    const n = generated.rows;
    expect(n).toBe(30_000);
    expect(generated.periods).toEqual(['2024']);
    const size = fs.statSync(file).size;

    const before = await fingerprint(url);
    let lastBytes = 0;
    let calls = 0;
    const summary = await importFiles(url, [file], {
      onBytes: (b) => {
        expect(b).toBeGreaterThanOrEqual(lastBytes);
        lastBytes = b;
        calls += 1;
      },
    });
    expect(summary).toMatchObject({ rows: n, inserted: n, updated: 0, unchanged: 0 });
    for (const d of DOMAINS) expect(summary.byDomain[d]).toEqual({ inserted: 10_000, updated: 0, unchanged: 0 });
    expect(lastBytes).toBe(size);
    expect(calls).toBeGreaterThan(1); // streamed in chunks, not read whole
    const after = await fingerprint(url);
    for (const d of DOMAINS) {
      expect(after[`${d}.observation`].n).toBe(before[`${d}.observation`].n + 10_000);
      expect(after[`${d}.source`].n).toBe(before[`${d}.source`].n + 1);
    }

    const again = await importFiles(url, [file]);
    expect(again).toMatchObject({ rows: n, inserted: 0, updated: 0, unchanged: n });
    expect(await fingerprint(url)).toEqual(after);
  }, 60_000);
});
