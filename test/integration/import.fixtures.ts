/**
 * Shared by the import tests (import-*.test.ts): rows and files, the good fixture rows, and `rejection`,
 * which also proves from the database fingerprint that a rejected import wrote nothing.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Domain } from '../../common/core/domain';
import { ImportValidationError, type FileError } from '../../common/data/import/importer';
import { importFiles } from '../../common/data/seed/seed';
import { COLUMNS, csvLine, csvText, type Row } from '../helpers/csv';
import { fingerprint, withClient } from '../helpers/database';

export { COLUMNS, type Row };
export const line = csvLine;
export const csv = csvText;

export const SOURCE_A = {
  source_title: 'Atlas import test — source A',
  source_url: 'https://example.vn/import-test/a',
  source_publisher: 'Test Publisher',
};
export const SOURCE_B = { source_title: 'Atlas import test — source B', source_url: 'https://example.vn/import-test/b' };

/** A valid row (a count in the infrastructure domain); tests override what they need. */
export const row = (overrides: Row = {}): Row => ({
  locality_code: '14',
  indicator_code: 'infrastructure.stations.base_stations',
  value: '225',
  qualifier: 'EXACT',
  ...SOURCE_A,
  ...overrides,
});

/**
 * A temp dir for the calling test file (removed after it), and `write`, which puts a file (text as UTF-8,
 * or raw bytes) there under a numbered name and returns its absolute path.
 */
export function tempFiles(): { dir: () => string; write: (name: string, text: string | Buffer) => string } {
  let tmp = '';
  let counter = 0;
  beforeAll(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'atlas-import-test-'));
  });
  afterAll(() => {
    fs.rmSync(tmp, { recursive: true, force: true });
  });
  return {
    dir: () => tmp,
    write: (name, text) => {
      const file = path.join(tmp, `${String(++counter).padStart(3, '0')}-${name}`);
      fs.writeFileSync(file, text);
      return file;
    },
  };
}

/** The stored observations of one source in one domain, as text, in a stable order. */
export async function observations(url: string, domain: Domain, sourceTitle: string) {
  return withClient(url, async (c) => {
    // Every column is text (numbers and dates cast above), null where the row has none.
    const { rows } = await c.query<Record<string, string | null>>(
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

/** Runs importFiles, which must throw an ImportValidationError, and checks that the database did not change at all. */
export async function rejection(url: string, files: string[]): Promise<ImportValidationError> {
  const before = await fingerprint(url);
  const err = await importFiles(url, files).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ImportValidationError);
  expect(await fingerprint(url)).toEqual(before);
  return err as ImportValidationError;
}
export const where = (errors: FileError[]) => errors.map((e) => [path.basename(e.file), e.line, e.column ?? null]);

/** Good rows across all three domains; line numbers are index + 2. */
export const GOOD_ROWS: Row[] = [
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
  row({
    locality_code: '116',
    indicator_code: 'identity.eid.activated_accounts',
    value: '762000',
    qualifier: 'AT_LEAST',
    period_end: '2025-03-31',
    quote: 'hơn 762.000 tài khoản',
  }),
  // finance: a rate, "about" → APPROXIMATE, lower-case qualifier accepted
  row({
    locality_code: '38',
    indicator_code: 'finance.account.transaction_account_rate_15plus',
    value: '77',
    qualifier: 'approximate',
    period_end: '2024-12-31',
  }),
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
  row({
    locality_code: 'VN',
    indicator_code: 'infrastructure.coverage.4g_population',
    value: '99.8',
    numerator: '998',
    denominator: '1000',
    qualifier: 'EXACT',
  }),
  // infrastructure: same indicator and locality as above but another period: a different figure
  row({ locality_code: 'VN', indicator_code: 'infrastructure.coverage.4g_population', value: '99.5', qualifier: 'EXACT', period_end: '2024-12-31' }),
];
export const GOOD_BY_DOMAIN = { identity: 2, finance: 2, infrastructure: 3 };
