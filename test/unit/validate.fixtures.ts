/** Shared by the validate*.test.ts unit tests: a stand-in registry and catalogue, a good row, and expectError. */
import { expect } from '@jest/globals'; // its asymmetric matchers are typed; @types/jest's return `any`
import { validateRow, type Reference, type RowError } from '../../common/data/import/validate';
import { type IndicatorRecord } from '../../common/core/observation/observation.record';

const indicator = (code: string, domain: IndicatorRecord['domain'], unit: IndicatorRecord['unit']): IndicatorRecord => ({
  code,
  domain,
  name: code,
  unit,
  denominator: unit === 'PERCENT' ? 'population' : null,
  description: null,
  headline: null,
  position: 0,
});

/** A small stand-in for the registry and catalogue (the real ones live in Postgres). */
export const INDICATORS = new Map<string, IndicatorRecord>(
  [
    indicator('identity.eid.activated_accounts', 'identity', 'COUNT'),
    indicator('identity.eid.activation_rate', 'identity', 'PERCENT'),
    indicator('finance.account.transaction_account_rate_15plus', 'finance', 'PERCENT'),
    indicator('finance.social_benefit.amount_paid_through_accounts', 'finance', 'VND'),
    indicator('infrastructure.stations.base_stations', 'infrastructure', 'COUNT'),
  ].map((i) => [i.code, i]),
);
export const LOCALITIES = new Set(['VN', '14', '116', '38', '15472']);
export const ref: Reference = { hasLocality: (c) => LOCALITIES.has(c), indicator: (c) => INDICATORS.get(c) };

export const LINE = 7;

/** A valid PERCENT row; each test overrides the fields it is about. */
export const good = (overrides: Record<string, string | undefined> = {}): Record<string, string | undefined> => ({
  locality_code: '14',
  indicator_code: 'identity.eid.activation_rate',
  value: '84.3',
  numerator: '45158',
  denominator: '53571',
  qualifier: 'EXACT',
  period_start: '2025-01-01',
  period_end: '2025-03-31',
  period_label: 'Q1 2025',
  source_title: 'Báo Sơn La',
  source_url: 'https://baosonla.vn/some-article',
  source_publisher: 'Báo Sơn La',
  source_published_at: '2025-04-02',
  source_document: 'doc.txt',
  notes: 'a note',
  quote: 'đạt 84,3%',
  ...overrides,
});

export const validate = (overrides: Record<string, string | undefined>) => validateRow(good(overrides), LINE, ref);

/** Asserts the row is rejected with (at least) one error on LINE naming `column`, whose message matches `message`. */
export function expectError(overrides: Record<string, string | undefined>, column: string, message: RegExp): RowError[] {
  const { row, errors } = validate(overrides);
  expect(row).toBeUndefined();
  expect(errors.length).toBeGreaterThan(0);
  for (const e of errors) expect(e.line).toBe(LINE);
  expect(errors).toEqual(expect.arrayContaining([expect.objectContaining({ line: LINE, column, message: expect.stringMatching(message) })]));
  return errors;
}
