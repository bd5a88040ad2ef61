/** The same natural key twice in one command (one file or several) is an error; one bad file keeps every file out. */
import { expect } from '@jest/globals'; // its asymmetric matchers are typed; @types/jest's return `any`
import path from 'node:path';
import { formatFileError as formatted } from '../../common/data/import/importer';
import { importFiles } from '../../common/data/seed/seed';
import { createTestDatabase, fingerprint } from '../helpers/database';
import { csv, GOOD_ROWS, rejection, row, SOURCE_B, tempFiles, where } from './import.fixtures';

const { write } = tempFiles();

describe('importFiles: duplicates and several files', () => {
  let url: string;
  beforeAll(async () => {
    url = await createTestDatabase('import_dup');
  });

  it('rejects a natural key repeated inside one file, naming both lines, and writes nothing', async () => {
    const rows = [
      row({ value: '1' }), // 2
      row({ locality_code: '116', value: '2', period_end: '2025-03-31' }), // 3
      row({ locality_code: '38', value: '3' }), // 4
      row({ locality_code: '116', value: '20', period_end: '2025-03-31', qualifier: 'APPROXIMATE', notes: 'other value' }), // 5: same key as 3
      row({ locality_code: 'VN', ...SOURCE_B, source_url: '', value: '5' }), // 6: no period, no URL
      row({ locality_code: 'VN', ...SOURCE_B, source_url: '', value: '6' }), // 7: same key as 6 (empty period and URL count as equal)
    ];
    const file = write('dup.csv', csv(rows));
    const before = await fingerprint(url);
    const err = await rejection(url, [file]);
    expect(err.errors).toEqual([
      expect.objectContaining({ line: 5, message: expect.stringMatching(/same locality, indicator, period and source as line 3$/) }),
      expect.objectContaining({ line: 7, message: expect.stringMatching(/as line 6$/) }),
    ]);
    expect(await fingerprint(url)).toEqual(before);
  });

  it('rejects a natural key repeated across two files of one call, naming both files and lines', async () => {
    const a = write('dup-a.csv', csv([row({ value: '1' }), row({ locality_code: '38', value: '2' })]));
    const b = write(
      'dup-b.csv',
      csv([row({ locality_code: '116', value: '3' }), row({ locality_code: '26', value: '4' }), row({ locality_code: '38', value: '5' })]),
    );
    const before = await fingerprint(url);
    const err = await rejection(url, [a, b]);
    expect(err.errors).toHaveLength(1);
    expect(path.basename(err.errors[0].file)).toBe(path.basename(b));
    expect(err.errors[0].line).toBe(4);
    expect(formatted(err.errors[0])).toMatch(new RegExp(`${path.basename(b)}:4: .*as .*${path.basename(a)}:line 3$`));
    expect(await fingerprint(url)).toEqual(before);
  });

  it('a bad second file means the good first file is not written either', async () => {
    const good = write('first-good.csv', csv(GOOD_ROWS));
    const bad = write('second-bad.csv', csv([row({ locality_code: '116', value: '3' }), row({ locality_code: '116', value: 'x' })]));
    const before = await fingerprint(url);
    const err = await rejection(url, [good, bad]);
    expect(where(err.errors)).toEqual([[path.basename(bad), 3, 'value']]);
    expect(await fingerprint(url)).toEqual(before);
    // …and the same good file alone goes in.
    expect(await importFiles(url, [good])).toMatchObject({ inserted: GOOD_ROWS.length });
  });

  // Regression (fixed in ffe8943): duplicates used to be checked only when no other row was bad, so a
  // file's errors came in two rounds.
  it('reports a duplicate natural key together with the other errors of the file', async () => {
    const file = write(
      'dup-and-bad.csv',
      csv([row({ locality_code: '38', value: '1' }), row({ locality_code: '38', value: '2' }), row({ value: 'abc' })]),
    );
    const err = await rejection(url, [file]);
    expect(err.errors.map((e) => [e.line, e.column ?? null]).sort()).toEqual([
      [3, null],
      [4, 'value'],
    ]);
    expect(err.errors.find((e) => e.line === 3)?.message).toMatch(/as line 2$/);
  });
});
