/** A good import: rows go to their domain's schema as given; re-imports change nothing, changes update exactly their rows. */
import path from 'node:path';
import { DOMAINS } from '../../common/core/domain';
import { PROJECT_ROOT } from '../../common/platform/paths';
import { importFiles } from '../../common/data/seed/seed';
import { createTestDatabase, fingerprint, rowCounts, withClient } from '../helpers/database';
import { COLUMNS, csv, GOOD_BY_DOMAIN, GOOD_ROWS, observations, row, SOURCE_A, SOURCE_B, tempFiles } from './import.fixtures';

const { write } = tempFiles();

describe('importFiles: a good file', () => {
  let url: string;
  let file: string;
  beforeAll(async () => {
    url = await createTestDatabase('import_good');
    file = write('good.csv', csv(GOOD_ROWS));
  });

  it('inserts every row into the schema of its indicator', async () => {
    const before = await fingerprint(url);
    const summary = await importFiles(url, [file]);
    expect(summary).toMatchObject({ rows: GOOD_ROWS.length, inserted: GOOD_ROWS.length, updated: 0, unchanged: 0 });
    expect(summary.files).toEqual([path.relative(PROJECT_ROOT, file)]);
    expect(summary.seconds).toBeGreaterThanOrEqual(0);
    for (const d of DOMAINS) expect(summary.byDomain[d]).toEqual({ inserted: GOOD_BY_DOMAIN[d], updated: 0, unchanged: 0 });

    const after = await fingerprint(url);
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
      expect.objectContaining({
        locality_code: '38',
        indicator_code: 'finance.account.transaction_account_rate_15plus',
        value: '77',
        qualifier: 'APPROXIMATE',
        period_end: '2024-12-31',
      }),
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
      expect.objectContaining({
        locality_code: 'VN',
        indicator_code: 'infrastructure.coverage.4g_population',
        value: '99.8',
        numerator: '998',
        denominator: '1000',
        period_end: null,
      }),
      expect.objectContaining({
        locality_code: 'VN',
        indicator_code: 'infrastructure.coverage.4g_population',
        value: '99.5',
        numerator: null,
        period_end: '2024-12-31',
      }),
    ]);

    // Nothing leaked into another domain's schema.
    for (const d of DOMAINS) {
      const n = await withClient(url, async (c) =>
        Number((await c.query<{ n: string }>(`SELECT count(*) AS n FROM "${d}".observation WHERE indicator_code NOT LIKE $1`, [`${d}.%`])).rows[0].n),
      );
      expect(n).toBe(0);
    }
    expect(await observations(url, 'identity', SOURCE_B.source_title)).toEqual([]);
    expect(await observations(url, 'infrastructure', SOURCE_B.source_title)).toEqual([]);
  });

  it('re-importing the same file changes nothing', async () => {
    const before = await fingerprint(url);
    const summary = await importFiles(url, [file]);
    expect(summary).toMatchObject({ rows: GOOD_ROWS.length, inserted: 0, updated: 0, unchanged: GOOD_ROWS.length });
    for (const d of DOMAINS) expect(summary.byDomain[d]).toEqual({ inserted: 0, updated: 0, unchanged: GOOD_BY_DOMAIN[d] });
    expect(await fingerprint(url)).toEqual(before); // not even updated_at moved
  });

  it('--dry-run (dryRun) reports the changes and writes nothing', async () => {
    const before = await fingerprint(url);
    const rows = [...GOOD_ROWS.map((r, i) => (i === 0 ? { ...r, value: '84', notes: 'rounded' } : r)), row({ locality_code: '26', value: '1' })];
    const summary = await importFiles(url, [write('dry.csv', csv(rows))], { dryRun: true });
    expect(summary).toMatchObject({ inserted: 1, updated: 1, unchanged: GOOD_ROWS.length - 1 });
    expect(await fingerprint(url)).toEqual(before);
  });

  it('the same figure written differently (84.30 for 84.3, EXACT for empty) is unchanged', async () => {
    const rows = GOOD_ROWS.map((r, i) => (i === 0 ? { ...r, value: '84.30', qualifier: 'exact' } : i === 3 ? { ...r, qualifier: 'EXACT' } : r));
    const summary = await importFiles(url, [write('good-respelt.csv', csv(rows))]);
    expect(summary).toMatchObject({ inserted: 0, updated: 0, unchanged: GOOD_ROWS.length });
  });

  it('changing one value updates exactly that row', async () => {
    const before = await fingerprint(url);
    const rows = GOOD_ROWS.map((r, i) => (i === 2 ? { ...r, value: '77.5' } : r));
    const summary = await importFiles(url, [write('good-changed.csv', csv(rows))]);
    expect(summary).toMatchObject({ inserted: 0, updated: 1, unchanged: GOOD_ROWS.length - 1 });
    expect(summary.byDomain.finance).toEqual({ inserted: 0, updated: 1, unchanged: 1 });
    expect(rowCounts(await fingerprint(url))).toEqual(rowCounts(before));
    const [finance] = await observations(url, 'finance', SOURCE_A.source_title);
    expect(finance).toMatchObject({ indicator_code: 'finance.account.transaction_account_rate_15plus', value: '77.5', qualifier: 'APPROXIMATE' });
  });

  it('changing the qualifier, notes or quote of a figure is an update, not a new figure', async () => {
    const before = await fingerprint(url);
    const rows = GOOD_ROWS.map((r, i) =>
      i === 2 ? { ...r, value: '77.5' } : i === 4 ? { ...r, qualifier: 'EXACT' } : i === 5 ? { ...r, notes: 'a new note', quote: 'a new quote' } : r,
    );
    const summary = await importFiles(url, [write('good-changed-2.csv', csv(rows))]);
    expect(summary).toMatchObject({ inserted: 0, updated: 2, unchanged: GOOD_ROWS.length - 2 });
    expect(rowCounts(await fingerprint(url))).toEqual(rowCounts(before));
  });

  it('a new period or a new source for the same locality and indicator is a new figure', async () => {
    const before = await fingerprint(url);
    const extra = [
      { ...GOOD_ROWS[4], period_end: '2025-06-30' },
      { ...GOOD_ROWS[4], ...SOURCE_B },
    ];
    const summary = await importFiles(url, [write('good-new-keys.csv', csv(extra))]);
    expect(summary).toMatchObject({ inserted: 2, updated: 0, unchanged: 0 });
    expect((await fingerprint(url))['infrastructure.observation'].n).toBe(before['infrastructure.observation'].n + 2);
  });

  it('accepts an Excel-style file: UTF-8 BOM, CRLF line ends, upper-case header, blank lines, columns in another order', async () => {
    const columns = [...COLUMNS].reverse();
    const rows = [row({ locality_code: '381', value: '4', quote: 'Bỉm Sơn' })];
    const text =
      '\uFEFF' +
      csv(rows, columns)
        .replace(/^[^\n]*/, (h) => h.toUpperCase())
        .replace(/\n/g, '\r\n') +
      '\r\n\r\n';
    const summary = await importFiles(url, [write('excel.csv', text)]);
    expect(summary).toMatchObject({ rows: 1, inserted: 1 });
    expect(await observations(url, 'infrastructure', SOURCE_A.source_title)).toContainEqual(
      expect.objectContaining({ locality_code: '381', value: '4', quote: 'Bỉm Sơn' }),
    );
  });
});
