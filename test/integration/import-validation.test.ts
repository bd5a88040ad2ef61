/** Rejected imports: every error on its file, line and column, and nothing written (the fingerprint is unchanged). */
import { expect } from '@jest/globals'; // its asymmetric matchers are typed; @types/jest's return `any`
import path from 'node:path';
import { formatFileError as formatted } from '../../common/data/import/importer';
import { PROJECT_ROOT } from '../../common/platform/paths';
import { createTestDatabase, fingerprint } from '../helpers/database';
import { COLUMNS, csv, line, rejection, row, tempFiles, where, type Row } from './import.fixtures';

const { write } = tempFiles();

describe('importFiles: a file with one bad row of each kind', () => {
  let url: string;
  beforeAll(async () => {
    url = await createTestDatabase('import_bad');
  });

  // [bad row (or raw line), the column its error names (null: the whole line), the expected message]
  const BAD: Array<[Row | string, string | null, RegExp]> = [
    [row({ locality_code: '99999' }), 'locality_code', /unknown locality "99999"/],
    [row({ indicator_code: 'infrastructure.stations.teleporters' }), 'indicator_code', /unknown indicator/],
    [row({ value: '' }), 'value', /value is required/],
    [row({ value: '1,240' }), 'value', /"1,240" is not a number/],
    [row({ value: 'abc' }), 'value', /not a number/],
    [row({ value: '1.2.3' }), 'value', /not a number/],
    [row({ value: '-5' }), 'value', /negative/],
    [row({ indicator_code: 'infrastructure.coverage.4g_population', value: '104.2' }), 'value', /outside 0–100/],
    [
      row({ indicator_code: 'identity.eid.activation_rate', value: '100', numerator: '60000', denominator: '53571' }),
      'numerator',
      /greater than denominator/,
    ],
    [row({ indicator_code: 'identity.eid.activation_rate', value: '0', numerator: '0', denominator: '0' }), 'denominator', /denominator is 0/],
    [
      row({ indicator_code: 'identity.eid.activation_rate', value: '84.4', numerator: '45158', denominator: '53571' }),
      'value',
      /does not match numerator\/denominator/,
    ],
    [row({ value: '225', numerator: '226' }), 'numerator', /differs from value/],
    [row({ period_end: '31/03/2025' }), 'period_end', /not a date/],
    [row({ period_start: '2025-02-30', period_end: '2025-03-31' }), 'period_start', /not a date/],
    [row({ period_start: '2025-04-01', period_end: '2025-03-31' }), 'period_start', /after period_end/],
    [row({ qualifier: 'more than' }), 'qualifier', /is not one of/],
    [row({ source_title: '' }), 'source_title', /source_title is required/],
    [row({ source_url: 'www.example.vn/no-scheme' }), 'source_url', /not an http\(s\) URL/],
    [row({ source_published_at: '2025-13-01' }), 'source_published_at', /not a date/],
    ['14,infrastructure.stations.base_stations,225', null, /has 3 fields, the header has 20/],
  ];

  it('rejects with every error on its line and column, and writes nothing at all', async () => {
    // Good rows (with a new source) around and between the bad ones.
    const lines: string[] = [line(COLUMNS)];
    const expected: Array<[string, number, string | null]> = [];
    const messages: Array<[number, RegExp]> = [];
    const goodLine = (i: number) => {
      const good = row({ locality_code: 'VN', value: String(1000 + i), period_end: new Date(Date.UTC(2024, 0, 1 + i)).toISOString().slice(0, 10) });
      return line(COLUMNS.map((c) => good[c] ?? ''));
    };
    lines.push(goodLine(0));
    BAD.forEach(([bad, column, message], i) => {
      lines.push(typeof bad === 'string' ? bad : line(COLUMNS.map((c) => bad[c] ?? '')));
      expected.push(['mixed.csv', lines.length, column]);
      messages.push([lines.length, message]);
      if (i % 3 === 0) lines.push(goodLine(i + 1));
    });
    lines.push(goodLine(99));
    const file = write('mixed.csv', lines.join('\n') + '\n');

    const before = await fingerprint(url);
    const err = await rejection(url, [file]);

    expect(where(err.errors).map(([f, l, c]) => [String(f).replace(/^\d+-/, ''), l, c])).toEqual(expected);
    for (const [l, message] of messages) {
      expect(err.errors.find((e) => e.line === l)?.message).toMatch(message);
    }
    expect(err.totalErrors).toBe(BAD.length);
    expect(err.invalidRows).toBe(BAD.length);
    expect(err.message).toBe(`${BAD.length} invalid rows (${BAD.length} errors): nothing was written`); // one error per bad row

    expect(await fingerprint(url)).toEqual(before);
  });

  it('reports every error of a row that has several', async () => {
    const file = write(
      'several.csv',
      csv([
        row(),
        row({ locality_code: 'XX', value: '1,5', period_start: '2025-02-30', qualifier: 'about', source_url: 'ftp://x' }),
        row({ value: '7', period_end: '2025-01-01' }),
      ]),
    );
    const err = await rejection(url, [file]);
    expect(err.errors.map((e) => [e.line, e.column])).toEqual([
      [3, 'locality_code'],
      [3, 'value'],
      [3, 'qualifier'],
      [3, 'period_start'],
      [3, 'source_url'],
    ]);
  });

  it('the rejection message counts invalid rows (distinct file:line) and errors separately', async () => {
    const file = write(
      'count.csv',
      csv([row(), row({ locality_code: 'XX', value: '1,5', qualifier: 'about' }), row({ value: '-1', period_end: '2025-02-30', source_url: 'x' })]),
    );
    const err = await rejection(url, [file]);
    expect(err.totalErrors).toBe(6);
    expect(new Set(err.errors.map((e) => `${e.file}:${e.line}`)).size).toBe(2);
    expect(err.invalidRows).toBe(2);
    expect(err.message).toBe('2 invalid rows (6 errors): nothing was written');
  });

  it('the rejection message uses the singular for one row with one error', async () => {
    const err = await rejection(url, [write('count-one.csv', csv([row(), row({ value: 'x', period_end: '2025-01-01' })]))]);
    expect(err.invalidRows).toBe(1);
    expect(err.message).toBe('1 invalid row (1 error): nothing was written');
  });

  // A quoted field may hold a line break (a multi-line note or quote); rows after it keep their own line numbers.
  const multiline = (eol: string) =>
    [
      line(COLUMNS),
      line(COLUMNS.map((c) => row({ notes: 'first line\nsecond line', period_end: '2025-01-01' })[c] ?? '')), // lines 2–3
      line(COLUMNS.map((c) => row({ value: 'abc', period_end: '2025-01-02' })[c] ?? '')), // line 4
      '',
      line(COLUMNS.map((c) => row({ value: '-1', period_end: '2025-01-03' })[c] ?? '')), // line 6
    ]
      .join('\n')
      .replace(/\n/g, eol) + eol;

  it('line numbers stay right after a quoted field with a line break (LF file)', async () => {
    const err = await rejection(url, [write('multiline-lf.csv', multiline('\n'))]);
    expect(err.errors.map((e) => [e.line, e.column])).toEqual([
      [4, 'value'],
      [6, 'value'],
    ]);
  });

  // csv-parse counts a CRLF inside a quoted field as two lines; the importer turns CRLF into LF first.
  it('line numbers stay right after a quoted field with a line break (CRLF file)', async () => {
    const err = await rejection(url, [write('multiline-crlf.csv', multiline('\r\n'))]);
    expect(err.errors.map((e) => [e.line, e.column])).toEqual([
      [4, 'value'],
      [6, 'value'],
    ]);
  });

  it('rejects a file that is not UTF-8 (Windows-1258/Latin-1 bytes), naming line and column, and writes nothing', async () => {
    // Line 2 is good; line 3 was saved in a legacy 8-bit encoding: "Hóa" is 48 F3 61 and "ghi là" ends in a
    // lone E0, neither of which is UTF-8. Line 4 is good UTF-8 with Vietnamese letters.
    const text = csv([
      row({ locality_code: '38', value: '3', notes: 'UTF-8: Thanh Hóa' }),
      row({ locality_code: '116', value: '4', notes: '@NOTES@', quote: '@QUOTE@' }),
      row({ locality_code: '14', value: '5', quote: 'đạt 5 trạm' }),
    ]);
    const [head, tail] = text.split('@NOTES@');
    const [middle, end] = tail.split('@QUOTE@');
    const bytes = Buffer.concat([
      Buffer.from(head, 'utf8'),
      Buffer.from('Thanh Hóa', 'latin1'),
      Buffer.from(middle, 'utf8'),
      Buffer.from('ghi là', 'latin1'),
      Buffer.from(end, 'utf8'),
    ]);
    expect(bytes.includes(Buffer.from([0x48, 0xf3, 0x61]))).toBe(true);
    const file = write('latin1.csv', bytes);

    const before = await fingerprint(url);
    const err = await rejection(url, [file]);
    expect(err.errors.map((e) => [e.line, e.column, e.message])).toEqual([
      [3, 'notes', 'notes has bytes that are not UTF-8 text: save the file as UTF-8'],
      [3, 'quote', 'quote has bytes that are not UTF-8 text: save the file as UTF-8'],
    ]);
    expect(formatted(err.errors[0])).toBe(
      `${path.relative(PROJECT_ROOT, file)}:3 [notes]: notes has bytes that are not UTF-8 text: save the file as UTF-8`,
    );
    expect(err.message).toBe('1 invalid row (2 errors): nothing was written');
    expect(await fingerprint(url)).toEqual(before);
  });

  it('rejects a bad header on line 1 (unknown, missing and duplicated columns) and writes nothing', async () => {
    const columns = [...COLUMNS.filter((c) => c !== 'source_url'), 'sourceurl', 'notes'];
    const file = write('header.csv', csv([row()], columns));
    const before = await fingerprint(url);
    const err = await rejection(url, [file]);
    expect(err.errors.map((e) => [e.line, e.column])).toEqual([
      [1, 'sourceurl'],
      [1, 'notes'],
      [1, 'source_url'],
    ]);
    expect(err.errors[0].message).toMatch(/unknown column "sourceurl"/);
    expect(err.errors[1].message).toMatch(/"notes" appears twice/);
    expect(err.errors[2].message).toMatch(/missing required column "source_url"/);
    expect(await fingerprint(url)).toEqual(before);
  });

  it('rejects an empty file and an unterminated quote', async () => {
    const empty = write('empty.csv', '');
    expect((await rejection(url, [empty])).errors).toEqual([expect.objectContaining({ line: 1, message: expect.stringMatching(/empty/) })]);
    const broken = write('broken.csv', csv([row()]) + '14,infrastructure.stations.base_stations,5,,,EXACT,,,"unterminated,x,y\n');
    const err = await rejection(url, [broken]);
    expect(err.errors).toEqual([expect.objectContaining({ message: expect.stringMatching(/unreadable CSV/) })]);
  });
});
