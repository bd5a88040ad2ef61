/**
 * The observation import on a real database: validation errors with their lines (nothing written),
 * domain routing, idempotence and updates, duplicates, multi-file atomicity, a ~30,000-row file, and
 * the CLI (`dist/scripts/import.js`: run `npm run build` first; `npm test` does). Each describe block
 * works on its own copy of the seeded template; CSV files go to a temp dir removed afterwards.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { DOMAINS, type Domain } from '../../common/core/domain';
import { formatFileError as formatted, ImportValidationError, type FileError } from '../../common/data/import/importer';
import { OPTIONAL_COLUMNS, REQUIRED_COLUMNS } from '../../common/data/import/validate';
import { fromRoot, PROJECT_ROOT } from '../../common/platform/paths';
import { importFiles } from '../../common/data/seed/seed';
import { createTestDatabase, withClient } from '../helpers/database';

// ---------------------------------------------------------------------------------------------
// CSV helpers
// ---------------------------------------------------------------------------------------------

const COLUMNS = [...REQUIRED_COLUMNS, ...OPTIONAL_COLUMNS] as string[];
type Row = Record<string, string | undefined>;

const field = (v: string) => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
const line = (values: string[]) => values.map(field).join(',');
const csv = (rows: Row[], columns: string[] = COLUMNS) => [line(columns), ...rows.map((r) => line(columns.map((c) => r[c] ?? '')))].join('\n') + '\n';

const SOURCE_A = { source_title: 'Atlas import test — source A', source_url: 'https://example.vn/import-test/a', source_publisher: 'Test Publisher' };
const SOURCE_B = { source_title: 'Atlas import test — source B', source_url: 'https://example.vn/import-test/b' };

/** A valid row (a count in the infrastructure domain); tests override what they need. */
const row = (overrides: Row = {}): Row => ({
  locality_code: '14',
  indicator_code: 'infrastructure.stations.base_stations',
  value: '225',
  qualifier: 'EXACT',
  ...SOURCE_A,
  ...overrides,
});

let tmp: string;
let fileCounter = 0;
/** Writes a file (text as UTF-8, or raw bytes) under the test's temp dir and returns its absolute path. */
function write(name: string, text: string | Buffer): string {
  const file = path.join(tmp, `${String(++fileCounter).padStart(3, '0')}-${name}`);
  fs.writeFileSync(file, text);
  return file;
}

beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'atlas-import-test-'));
});
afterAll(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

// ---------------------------------------------------------------------------------------------
// Database helpers
// ---------------------------------------------------------------------------------------------

type Snapshot = Record<string, { n: number; fingerprint: string }>;

/** Row count and a content fingerprint (every column, incl. updated_at) of observation and source in every schema. */
async function snapshot(url: string): Promise<Snapshot> {
  return withClient(url, async (c) => {
    const out: Snapshot = {};
    for (const d of DOMAINS) {
      for (const t of ['observation', 'source']) {
        const { rows } = await c.query(`SELECT count(*)::int AS n, coalesce(md5(string_agg(x::text, '|' ORDER BY x.id)), '') AS fingerprint FROM "${d}".${t} x`);
        out[`${d}.${t}`] = rows[0];
      }
    }
    return out;
  });
}
const counts = (s: Snapshot) => Object.fromEntries(Object.entries(s).map(([k, v]) => [k, v.n]));

async function observations(url: string, domain: Domain, sourceTitle: string) {
  return withClient(url, async (c) => {
    const { rows } = await c.query(
      `SELECT o.locality_code, o.indicator_code, o.value::text, o.numerator::text, o.denominator::text, o.qualifier,
              to_char(o.period_start, 'YYYY-MM-DD') AS period_start, to_char(o.period_end, 'YYYY-MM-DD') AS period_end, o.period_label,
              s.title AS source_title, s.url AS source_url, s.publisher AS source_publisher,
              to_char(s.published_at, 'YYYY-MM-DD') AS source_published_at, s.document AS source_document, o.notes, o.quote
         FROM "${domain}".observation o JOIN "${domain}".source s ON s.id = o.source_id
        WHERE s.title = $1 ORDER BY o.locality_code, o.indicator_code, o.period_end NULLS FIRST`,
      [sourceTitle],
    );
    return rows;
  });
}

/** Runs importFiles and returns the ImportValidationError it must throw. */
async function rejection(url: string, files: string[]): Promise<ImportValidationError> {
  const err = await importFiles(url, files).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ImportValidationError);
  return err as ImportValidationError;
}
const where = (errors: FileError[]) => errors.map((e) => [path.basename(e.file), e.line, e.column ?? null]);

// ---------------------------------------------------------------------------------------------
// Fixtures
// ---------------------------------------------------------------------------------------------

/** Good rows across all three domains; line numbers are index + 2. */
const GOOD_ROWS: Row[] = [
  // identity: a rate with its parts (45158/53571 = 84.2956 % → 84.3), a dated period
  row({
    locality_code: '14',
    indicator_code: 'identity.eid.activation_rate',
    value: '84.3',
    numerator: '45158',
    denominator: '53571',
    qualifier: 'EXACT',
    period_start: '2025-01-01',
    period_end: '2025-03-31',
    period_label: 'Q1 2025',
    source_published_at: '2025-04-02',
    source_document: 'test-a.txt',
    notes: 'rate, with parts',
    quote: 'đạt 84,3% (45.158/53.571)',
  }),
  // identity: a count, "more than" → AT_LEAST, as-of date only
  row({ locality_code: '116', indicator_code: 'identity.eid.activated_accounts', value: '762000', qualifier: 'AT_LEAST', period_end: '2025-03-31', quote: 'hơn 762.000 tài khoản' }),
  // finance: a rate, "about" → APPROXIMATE, lower-case qualifier accepted
  row({ locality_code: '38', indicator_code: 'finance.account.transaction_account_rate_15plus', value: '77', qualifier: 'approximate', period_end: '2024-12-31' }),
  // finance: a VND amount over a period, empty qualifier → EXACT, second source
  row({
    locality_code: '38',
    indicator_code: 'finance.social_benefit.amount_paid_through_accounts',
    value: '8500000000',
    qualifier: '',
    period_start: '2024-01-01',
    period_end: '2024-12-31',
    period_label: '2024',
    ...SOURCE_B,
    source_publisher: '',
  }),
  // infrastructure: a count for a commune, "nearly" → AT_MOST
  row({ locality_code: '15472', indicator_code: 'infrastructure.stations.base_stations', value: '12', qualifier: 'AT_MOST' }),
  // infrastructure: a rate for the country, with parts, no period
  row({ locality_code: 'VN', indicator_code: 'infrastructure.coverage.4g_population', value: '99.8', numerator: '998', denominator: '1000', qualifier: 'EXACT' }),
  // infrastructure: same indicator and locality as above but another period: a different figure
  row({ locality_code: 'VN', indicator_code: 'infrastructure.coverage.4g_population', value: '99.5', qualifier: 'EXACT', period_end: '2024-12-31' }),
];
const GOOD_BY_DOMAIN = { identity: 2, finance: 2, infrastructure: 3 };

// ---------------------------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------------------------

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
    [row({ indicator_code: 'identity.eid.activation_rate', value: '100', numerator: '60000', denominator: '53571' }), 'numerator', /greater than denominator/],
    [row({ indicator_code: 'identity.eid.activation_rate', value: '0', numerator: '0', denominator: '0' }), 'denominator', /denominator is 0/],
    [row({ indicator_code: 'identity.eid.activation_rate', value: '84.4', numerator: '45158', denominator: '53571' }), 'value', /does not match numerator\/denominator/],
    [row({ value: '225', numerator: '226' }), 'numerator', /differs from value/],
    [row({ period_end: '31/03/2025' }), 'period_end', /not a date/],
    [row({ period_start: '2025-02-30', period_end: '2025-03-31' }), 'period_start', /not a date/],
    [row({ period_start: '2025-04-01', period_end: '2025-03-31' }), 'period_start', /after period_end/],
    [row({ qualifier: 'more than' }), 'qualifier', /is not one of/],
    [row({ source_title: '' }), 'source_title', /source_title is required/],
    [row({ source_url: 'www.example.vn/no-scheme' }), 'source_url', /not an http\(s\) URL/],
    [row({ source_published_at: '2025-13-01' }), 'source_published_at', /not a date/],
    ['14,infrastructure.stations.base_stations,225', null, /has 3 fields, the header has 16/],
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

    const before = await snapshot(url);
    const err = await rejection(url, [file]);

    expect(where(err.errors).map(([f, l, c]) => [String(f).replace(/^\d+-/, ''), l, c])).toEqual(expected);
    for (const [l, message] of messages) {
      expect(err.errors.find((e) => e.line === l)?.message).toMatch(message);
    }
    expect(err.totalErrors).toBe(BAD.length);
    expect(err.invalidRows).toBe(BAD.length);
    expect(err.message).toBe(`${BAD.length} invalid rows (${BAD.length} errors): nothing was written`); // one error per bad row

    expect(await snapshot(url)).toEqual(before);
  });

  it('reports every error of a row that has several', async () => {
    const file = write(
      'several.csv',
      csv([row(), row({ locality_code: 'XX', value: '1,5', period_start: '2025-02-30', qualifier: 'about', source_url: 'ftp://x' }), row({ value: '7', period_end: '2025-01-01' })]),
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

    const before = await snapshot(url);
    const err = await rejection(url, [file]);
    expect(err.errors.map((e) => [e.line, e.column, e.message])).toEqual([
      [3, 'notes', 'notes has bytes that are not UTF-8 text: save the file as UTF-8'],
      [3, 'quote', 'quote has bytes that are not UTF-8 text: save the file as UTF-8'],
    ]);
    expect(formatted(err.errors[0])).toBe(`${path.relative(PROJECT_ROOT, file)}:3 [notes]: notes has bytes that are not UTF-8 text: save the file as UTF-8`);
    expect(err.message).toBe('1 invalid row (2 errors): nothing was written');
    expect(await snapshot(url)).toEqual(before);
  });

  it('rejects a bad header on line 1 (unknown, missing and duplicated columns) and writes nothing', async () => {
    const columns = [...COLUMNS.filter((c) => c !== 'source_url'), 'sourceurl', 'notes'];
    const file = write('header.csv', csv([row()], columns));
    const before = await snapshot(url);
    const err = await rejection(url, [file]);
    expect(err.errors.map((e) => [e.line, e.column])).toEqual([
      [1, 'sourceurl'],
      [1, 'notes'],
      [1, 'source_url'],
    ]);
    expect(err.errors[0].message).toMatch(/unknown column "sourceurl"/);
    expect(err.errors[1].message).toMatch(/"notes" appears twice/);
    expect(err.errors[2].message).toMatch(/missing required column "source_url"/);
    expect(await snapshot(url)).toEqual(before);
  });

  it('rejects an empty file and an unterminated quote', async () => {
    const empty = write('empty.csv', '');
    expect((await rejection(url, [empty])).errors).toEqual([expect.objectContaining({ line: 1, message: expect.stringMatching(/empty/) })]);
    const broken = write('broken.csv', csv([row()]) + '14,infrastructure.stations.base_stations,5,,,EXACT,,,"unterminated,x,y\n');
    const err = await rejection(url, [broken]);
    expect(err.errors).toEqual([expect.objectContaining({ message: expect.stringMatching(/unreadable CSV/) })]);
  });
});

describe('importFiles: a good file', () => {
  let url: string;
  let file: string;
  beforeAll(async () => {
    url = await createTestDatabase('import_good');
    file = write('good.csv', csv(GOOD_ROWS));
  });

  it('inserts every row into the schema of its indicator', async () => {
    const before = await snapshot(url);
    const summary = await importFiles(url, [file]);
    expect(summary).toMatchObject({ rows: GOOD_ROWS.length, inserted: GOOD_ROWS.length, updated: 0, unchanged: 0 });
    expect(summary.files).toEqual([path.relative(PROJECT_ROOT, file)]);
    expect(summary.seconds).toBeGreaterThanOrEqual(0);
    for (const d of DOMAINS) expect(summary.byDomain[d]).toEqual({ inserted: GOOD_BY_DOMAIN[d], updated: 0, unchanged: 0 });

    const after = await snapshot(url);
    for (const d of DOMAINS) {
      expect(after[`${d}.observation`].n).toBe(before[`${d}.observation`].n + GOOD_BY_DOMAIN[d]);
    }
    // identity: source A; finance: A and B; infrastructure: A.
    expect(after['identity.source'].n).toBe(before['identity.source'].n + 1);
    expect(after['finance.source'].n).toBe(before['finance.source'].n + 2);
    expect(after['infrastructure.source'].n).toBe(before['infrastructure.source'].n + 1);
  });

  it('stores the values, parts, periods, qualifiers and sources as given', async () => {
    expect(await observations(url, 'identity', SOURCE_A.source_title)).toEqual([
      {
        locality_code: '116',
        indicator_code: 'identity.eid.activated_accounts',
        value: '762000',
        numerator: null,
        denominator: null,
        qualifier: 'AT_LEAST',
        period_start: null,
        period_end: '2025-03-31',
        period_label: null,
        source_title: SOURCE_A.source_title,
        source_url: SOURCE_A.source_url,
        source_publisher: 'Test Publisher',
        source_published_at: '2025-04-02',
        source_document: 'test-a.txt',
        notes: null,
        quote: 'hơn 762.000 tài khoản',
      },
      {
        locality_code: '14',
        indicator_code: 'identity.eid.activation_rate',
        value: '84.3',
        numerator: '45158',
        denominator: '53571',
        qualifier: 'EXACT',
        period_start: '2025-01-01',
        period_end: '2025-03-31',
        period_label: 'Q1 2025',
        source_title: SOURCE_A.source_title,
        source_url: SOURCE_A.source_url,
        source_publisher: 'Test Publisher',
        source_published_at: '2025-04-02',
        source_document: 'test-a.txt',
        notes: 'rate, with parts',
        quote: 'đạt 84,3% (45.158/53.571)',
      },
    ]);

    const financeA = await observations(url, 'finance', SOURCE_A.source_title);
    expect(financeA).toEqual([
      expect.objectContaining({ locality_code: '38', indicator_code: 'finance.account.transaction_account_rate_15plus', value: '77', qualifier: 'APPROXIMATE', period_end: '2024-12-31' }),
    ]);
    expect(await observations(url, 'finance', SOURCE_B.source_title)).toEqual([
      expect.objectContaining({
        locality_code: '38',
        indicator_code: 'finance.social_benefit.amount_paid_through_accounts',
        value: '8500000000',
        qualifier: 'EXACT',
        period_start: '2024-01-01',
        period_end: '2024-12-31',
        period_label: '2024',
        source_url: SOURCE_B.source_url,
        source_publisher: null,
      }),
    ]);
    expect(await observations(url, 'infrastructure', SOURCE_A.source_title)).toEqual([
      expect.objectContaining({ locality_code: '15472', indicator_code: 'infrastructure.stations.base_stations', value: '12', qualifier: 'AT_MOST' }),
      expect.objectContaining({ locality_code: 'VN', indicator_code: 'infrastructure.coverage.4g_population', value: '99.8', numerator: '998', denominator: '1000', period_end: null }),
      expect.objectContaining({ locality_code: 'VN', indicator_code: 'infrastructure.coverage.4g_population', value: '99.5', numerator: null, period_end: '2024-12-31' }),
    ]);

    // Nothing leaked into another domain's schema.
    for (const d of DOMAINS) {
      const n = await withClient(url, async (c) =>
        Number((await c.query(`SELECT count(*) AS n FROM "${d}".observation WHERE indicator_code NOT LIKE $1`, [`${d}.%`])).rows[0].n),
      );
      expect(n).toBe(0);
    }
    expect(await observations(url, 'identity', SOURCE_B.source_title)).toEqual([]);
    expect(await observations(url, 'infrastructure', SOURCE_B.source_title)).toEqual([]);
  });

  it('re-importing the same file changes nothing', async () => {
    const before = await snapshot(url);
    const summary = await importFiles(url, [file]);
    expect(summary).toMatchObject({ rows: GOOD_ROWS.length, inserted: 0, updated: 0, unchanged: GOOD_ROWS.length });
    for (const d of DOMAINS) expect(summary.byDomain[d]).toEqual({ inserted: 0, updated: 0, unchanged: GOOD_BY_DOMAIN[d] });
    expect(await snapshot(url)).toEqual(before); // not even updated_at moved
  });

  it('--dry-run (dryRun) reports the changes and writes nothing', async () => {
    const before = await snapshot(url);
    const rows = [...GOOD_ROWS.map((r, i) => (i === 0 ? { ...r, value: '84', notes: 'rounded' } : r)), row({ locality_code: '26', value: '1' })];
    const summary = await importFiles(url, [write('dry.csv', csv(rows))], { dryRun: true });
    expect(summary).toMatchObject({ inserted: 1, updated: 1, unchanged: GOOD_ROWS.length - 1 });
    expect(await snapshot(url)).toEqual(before);
  });

  it('the same figure written differently (84.30 for 84.3, EXACT for empty) is unchanged', async () => {
    const rows = GOOD_ROWS.map((r, i) => (i === 0 ? { ...r, value: '84.30', qualifier: 'exact' } : i === 3 ? { ...r, qualifier: 'EXACT' } : r));
    const summary = await importFiles(url, [write('good-respelt.csv', csv(rows))]);
    expect(summary).toMatchObject({ inserted: 0, updated: 0, unchanged: GOOD_ROWS.length });
  });

  it('changing one value updates exactly that row', async () => {
    const before = await snapshot(url);
    const rows = GOOD_ROWS.map((r, i) => (i === 2 ? { ...r, value: '77.5' } : r));
    const summary = await importFiles(url, [write('good-changed.csv', csv(rows))]);
    expect(summary).toMatchObject({ inserted: 0, updated: 1, unchanged: GOOD_ROWS.length - 1 });
    expect(summary.byDomain.finance).toEqual({ inserted: 0, updated: 1, unchanged: 1 });
    expect(counts(await snapshot(url))).toEqual(counts(before));
    const [finance] = await observations(url, 'finance', SOURCE_A.source_title);
    expect(finance).toMatchObject({ indicator_code: 'finance.account.transaction_account_rate_15plus', value: '77.5', qualifier: 'APPROXIMATE' });
  });

  it('changing the qualifier, notes or quote of a figure is an update, not a new figure', async () => {
    const before = await snapshot(url);
    const rows = GOOD_ROWS.map((r, i) =>
      i === 2 ? { ...r, value: '77.5' } : i === 4 ? { ...r, qualifier: 'EXACT' } : i === 5 ? { ...r, notes: 'a new note', quote: 'a new quote' } : r,
    );
    const summary = await importFiles(url, [write('good-changed-2.csv', csv(rows))]);
    expect(summary).toMatchObject({ inserted: 0, updated: 2, unchanged: GOOD_ROWS.length - 2 });
    expect(counts(await snapshot(url))).toEqual(counts(before));
  });

  it('a new period or a new source for the same locality and indicator is a new figure', async () => {
    const before = await snapshot(url);
    const extra = [
      { ...GOOD_ROWS[4], period_end: '2025-06-30' },
      { ...GOOD_ROWS[4], ...SOURCE_B },
    ];
    const summary = await importFiles(url, [write('good-new-keys.csv', csv(extra))]);
    expect(summary).toMatchObject({ inserted: 2, updated: 0, unchanged: 0 });
    expect((await snapshot(url))['infrastructure.observation'].n).toBe(before['infrastructure.observation'].n + 2);
  });

  it('accepts an Excel-style file: UTF-8 BOM, CRLF line ends, upper-case header, blank lines, columns in another order', async () => {
    const columns = [...COLUMNS].reverse();
    const rows = [row({ locality_code: '381', value: '4', quote: 'Bỉm Sơn' })];
    const text = '\uFEFF' + csv(rows, columns).replace(/^[^\n]*/, (h) => h.toUpperCase()).replace(/\n/g, '\r\n') + '\r\n\r\n';
    const summary = await importFiles(url, [write('excel.csv', text)]);
    expect(summary).toMatchObject({ rows: 1, inserted: 1 });
    expect(await observations(url, 'infrastructure', SOURCE_A.source_title)).toContainEqual(
      expect.objectContaining({ locality_code: '381', value: '4', quote: 'Bỉm Sơn' }),
    );
  });
});

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
    const before = await snapshot(url);
    const err = await rejection(url, [file]);
    expect(err.errors).toEqual([
      expect.objectContaining({ line: 5, message: expect.stringMatching(/same locality, indicator, period and source as line 3$/) }),
      expect.objectContaining({ line: 7, message: expect.stringMatching(/as line 6$/) }),
    ]);
    expect(await snapshot(url)).toEqual(before);
  });

  it('rejects a natural key repeated across two files of one call, naming both files and lines', async () => {
    const a = write('dup-a.csv', csv([row({ value: '1' }), row({ locality_code: '38', value: '2' })]));
    const b = write('dup-b.csv', csv([row({ locality_code: '116', value: '3' }), row({ locality_code: '26', value: '4' }), row({ locality_code: '38', value: '5' })]));
    const before = await snapshot(url);
    const err = await rejection(url, [a, b]);
    expect(err.errors).toHaveLength(1);
    expect(path.basename(err.errors[0].file)).toBe(path.basename(b));
    expect(err.errors[0].line).toBe(4);
    expect(formatted(err.errors[0])).toMatch(new RegExp(`${path.basename(b)}:4: .*as .*${path.basename(a)}:line 3$`));
    expect(await snapshot(url)).toEqual(before);
  });

  it('a bad second file means the good first file is not written either', async () => {
    const good = write('first-good.csv', csv(GOOD_ROWS));
    const bad = write('second-bad.csv', csv([row({ locality_code: '116', value: '3' }), row({ locality_code: '116', value: 'x' })]));
    const before = await snapshot(url);
    const err = await rejection(url, [good, bad]);
    expect(where(err.errors)).toEqual([[path.basename(bad), 3, 'value']]);
    expect(await snapshot(url)).toEqual(before);
    // …and the same good file alone goes in.
    expect(await importFiles(url, [good])).toMatchObject({ inserted: GOOD_ROWS.length });
  });

  // Regression (fixed in ffe8943): duplicates used to be checked only when no other row was bad, so a
  // file's errors came in two rounds.
  it('reports a duplicate natural key together with the other errors of the file', async () => {
    const file = write('dup-and-bad.csv', csv([row({ locality_code: '38', value: '1' }), row({ locality_code: '38', value: '2' }), row({ value: 'abc' })]));
    const err = await rejection(url, [file]);
    expect(err.errors.map((e) => [e.line, e.column ?? null]).sort()).toEqual([
      [3, null],
      [4, 'value'],
    ]);
    expect(err.errors.find((e) => e.line === 3)?.message).toMatch(/as line 2$/);
  });
});


describe('importFiles: streaming a large file', () => {
  let url: string;
  beforeAll(async () => {
    url = await createTestDatabase('import_big');
  });

  it('imports ~30,000 rows across all three domains, then re-imports them as unchanged', async () => {
    const registry: Array<Record<string, string>> = parse(fs.readFileSync(fromRoot('seeds', 'admin-units-2025-03-01.csv')), { columns: true });
    const communes = registry.filter((r) => r.level === 'commune').map((r) => r.code);
    expect(communes.length).toBeGreaterThan(10_000);
    const picked = communes.slice(0, 10_000);
    const source = { source_title: 'Atlas import test — commune survey', source_url: 'https://example.vn/import-test/survey', source_publisher: 'GSO (test)' };
    const header = line(COLUMNS);
    const out = fs.createWriteStream(path.join(tmp, 'big.csv'));
    out.write(header + '\n');
    let n = 0;
    for (const [i, code] of picked.entries()) {
      const households = 200 + (i % 1800);
      const withSmartphone = Math.floor((households * (40 + (i % 60))) / 100);
      const rows: Row[] = [
        { locality_code: code, indicator_code: 'infrastructure.smartphone.household_rate', value: ((100 * withSmartphone) / households).toFixed(1), numerator: String(withSmartphone), denominator: String(households), qualifier: 'EXACT', period_end: '2024-12-31', ...source },
        { locality_code: code, indicator_code: 'identity.eid.activated_accounts', value: String(100 + i), qualifier: i % 7 === 0 ? 'AT_LEAST' : '', period_end: '2024-12-31', ...source },
        { locality_code: code, indicator_code: 'finance.ewallet.users_assisted', value: String(i % 500), period_start: '2024-01-01', period_end: '2024-12-31', ...source },
      ];
      for (const r of rows) {
        out.write(line(COLUMNS.map((c) => r[c] ?? '')) + '\n');
        n += 1;
      }
    }
    await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
    const file = path.join(tmp, 'big.csv');
    const size = fs.statSync(file).size;
    expect(n).toBe(30_000);

    const before = await snapshot(url);
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
    const after = await snapshot(url);
    for (const d of DOMAINS) {
      expect(after[`${d}.observation`].n).toBe(before[`${d}.observation`].n + 10_000);
      expect(after[`${d}.source`].n).toBe(before[`${d}.source`].n + 1);
    }

    const again = await importFiles(url, [file]);
    expect(again).toMatchObject({ rows: n, inserted: 0, updated: 0, unchanged: n });
    expect(await snapshot(url)).toEqual(after);
  }, 60_000);
});

// ---------------------------------------------------------------------------------------------
// Child processes (the CLI, and code that may crash or hang)
// ---------------------------------------------------------------------------------------------

const CLI = path.join(PROJECT_ROOT, 'dist', 'scripts', 'import.js');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

/** Runs `node <args>` from the project root; kills it (and reports timedOut) after timeoutMs. */
function runNode(args: string[], env: NodeJS.ProcessEnv, timeoutMs = 30_000): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: PROJECT_ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, timedOut });
    });
  });
}

/** The import CLI. DATABASE_URL is always set: without it the CLI would start (or reuse) the embedded Postgres on DATA_DIR. */
const cli = (args: string[], databaseUrl: string) => runNode([CLI, ...args], { DATABASE_URL: databaseUrl, LOG_LEVEL: 'silent' });

describe('importFiles: unreadable input', () => {
  let url: string;
  beforeAll(async () => {
    if (!fs.existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first`);
    url = await createTestDatabase('import_missing');
  });

  // Regression (fixed in ffe8943): a read error used to be emitted before anyone listened (an uncaught
  // exception) and never reached the csv parser (the import hung with its transaction open). Run in a
  // child process so that, should it come back, neither the crash nor the hang takes the test worker down.
  it('a file that cannot be read makes importFiles reject (no crash, no hang), and earlier files are not written', async () => {
    const good = write('before-missing.csv', csv(GOOD_ROWS));
    const missing = path.join(tmp, 'does-not-exist.csv');
    const script = `
      require(${JSON.stringify(path.join(PROJECT_ROOT, 'dist', 'common', 'seed', 'seed.js'))})
        .importFiles(process.env.TEST_URL, ${JSON.stringify([good, missing])})
        .then(() => process.exit(0), (e) => {
          // Either a plain error or an ImportValidationError listing it is fine, as long as it names the cause.
          console.error('rejected: ' + [e.message, ...(e.errors || []).map((x) => x.message)].join(' / '));
          process.exit(3);
        });`;
    const before = await snapshot(url);
    const { code, stderr, timedOut } = await runNode(['-e', script], { TEST_URL: url }, 10_000);
    expect(timedOut).toBe(false);
    expect(stderr).not.toMatch(/Unhandled 'error' event/);
    expect(stderr).toMatch(/^rejected: .*does-not-exist\.csv.*ENOENT/m);
    expect(code).toBe(3);
    expect(await snapshot(url)).toEqual(before);
  }, 20_000);
});

describe('the import CLI (dist/scripts/import.js)', () => {
  let url: string;
  beforeAll(async () => {
    if (!fs.existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first`);
    url = await createTestDatabase('import_cli');
  });

  it('a bad file: exit 1, every error as file:line [column], "nothing was written", nothing written', async () => {
    const file = write('cli-bad.csv', csv([row({ value: '10' }), row({ locality_code: '99999' }), row({ locality_code: '38', value: '1,240', qualifier: 'over' })]));
    const name = path.basename(file);
    const before = await snapshot(url);
    const { code, stdout, stderr } = await cli(['--no-progress', file], url);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toMatch(new RegExp(`${name}:3 \\[locality_code\\]: unknown locality "99999"`));
    expect(stderr).toMatch(new RegExp(`${name}:4 \\[value\\]: value "1,240" is not a number`));
    expect(stderr).toMatch(new RegExp(`${name}:4 \\[qualifier\\]: qualifier "over" is not one of`));
    expect(stderr).toMatch(/^import rejected: 2 invalid rows \(3 errors\): nothing was written$/m);
    expect(stderr).not.toMatch(new RegExp(`${name}:2`));
    expect(await snapshot(url)).toEqual(before);
  });

  it('--dry-run: exit 0, reports what would change, writes nothing', async () => {
    const file = write('cli-good.csv', csv(GOOD_ROWS));
    const before = await snapshot(url);
    const { code, stdout } = await cli(['--dry-run', file], url);
    expect(code).toBe(0);
    expect(stdout).toMatch(new RegExp(`^dry run \\(nothing written\\): ${GOOD_ROWS.length} rows from 1 file\\(s\\): ${GOOD_ROWS.length} inserted, 0 updated, 0 unchanged in \\d+\\.\\d\\d s$`, 'm'));
    expect(await snapshot(url)).toEqual(before);
  });

  it('a good file: exit 0 and a summary line; again: all unchanged', async () => {
    const file = write('cli-good.csv', csv(GOOD_ROWS));
    const before = await snapshot(url);
    const first = await cli([file], url);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(new RegExp(`^${GOOD_ROWS.length} rows from 1 file\\(s\\): ${GOOD_ROWS.length} inserted, 0 updated, 0 unchanged in \\d+\\.\\d\\d s$`, 'm'));
    const after = await snapshot(url);
    for (const d of DOMAINS) expect(after[`${d}.observation`].n).toBe(before[`${d}.observation`].n + GOOD_BY_DOMAIN[d]);

    const second = await cli(['--no-progress', file], url);
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(new RegExp(`: 0 inserted, 0 updated, ${GOOD_ROWS.length} unchanged in `));
    expect(await snapshot(url)).toEqual(after);
  });

  it('several files in one call are summed in one summary', async () => {
    const a = write('cli-a.csv', csv([row({ locality_code: '26', value: '1' })]));
    const b = write('cli-b.csv', csv([row({ locality_code: '26', value: '2', period_end: '2025-01-01' }), row({ locality_code: '26', value: '3', period_end: '2025-02-01' })]));
    const { code, stdout } = await cli([a, b], url);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^3 rows from 2 file\(s\): 3 inserted, 0 updated, 0 unchanged in /m);
  });

  // npm runs scripts from the project folder and puts the folder the user typed the command in into INIT_CWD.
  it('a relative path is read from INIT_CWD (where `npm run import` was typed), not from the project folder', async () => {
    const good = write('cli-relative.csv', csv([row({ locality_code: '26', value: '7', period_end: '2021-01-01' })]));
    expect(fs.existsSync(path.join(PROJECT_ROOT, path.basename(good)))).toBe(false);
    const before = await snapshot(url);
    const run = await runNode([CLI, '--dry-run', path.basename(good)], { DATABASE_URL: url, LOG_LEVEL: 'silent', INIT_CWD: tmp });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^dry run \(nothing written\): 1 rows from 1 file\(s\): 1 inserted, 0 updated, 0 unchanged in /m);

    // Errors name the file it found there (relative to the project folder), a missing one by its resolved path.
    const bad = write('cli-relative-bad.csv', csv([row({ locality_code: '26', value: '1.240', period_end: '2021-01-02' })]));
    const rejected = await runNode([CLI, '--no-progress', path.basename(bad)], { DATABASE_URL: url, LOG_LEVEL: 'silent', INIT_CWD: tmp });
    expect(rejected.code).toBe(1);
    expect(rejected.stderr).toContain(`${path.relative(PROJECT_ROOT, bad)}:2 [value]: value 1.240 is not a whole number`);
    const missing = await runNode([CLI, 'no-such-relative.csv'], { DATABASE_URL: url, LOG_LEVEL: 'silent', INIT_CWD: tmp });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain(`${path.join(tmp, 'no-such-relative.csv')}: no such file`);
    expect(await snapshot(url)).toEqual(before);
  });

  it('without INIT_CWD (node run directly), a relative path is read from the current directory', async () => {
    const good = write('cli-relative-cwd.csv', csv([row({ locality_code: '26', value: '8', period_end: '2021-02-01' })]));
    const run = await runNode([CLI, '--dry-run', path.relative(PROJECT_ROOT, good)], { DATABASE_URL: url, LOG_LEVEL: 'silent', INIT_CWD: undefined });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^dry run \(nothing written\): 1 rows from 1 file\(s\): 1 inserted/m);
  });

  it('no arguments: exit 2 with the usage', async () => {
    const { code, stdout, stderr } = await cli([], url);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^usage: npm run import -- \[--dry-run\] \[--no-progress\] <file\.csv>/);
  });

  it('only options, or an unknown option: exit 2', async () => {
    expect((await cli(['--dry-run'], url)).code).toBe(2);
    const unknown = await cli(['--force', write('cli-x.csv', csv([row()]))], url);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown option --force/);
  });

  it('--help: exit 0 with the usage on stdout', async () => {
    const { code, stdout } = await cli(['--help'], url);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^usage: npm run import/);
  });

  it('a missing file (or a directory): exit 2, naming it, nothing written', async () => {
    const good = write('cli-present.csv', csv([row({ locality_code: '26', value: '9', period_end: '2020-01-01' })]));
    const missing = path.join(tmp, 'no-such-file.csv');
    const before = await snapshot(url);
    const { code, stderr } = await cli([good, missing], url);
    expect(code).toBe(2);
    expect(stderr).toContain(`${missing}: no such file`);
    expect((await cli([tmp], url)).code).toBe(2);
    expect(await snapshot(url)).toEqual(before);
  });
});
