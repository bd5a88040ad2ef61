import type { Domain } from '../../core/domain';
import { QUALIFIERS, Qualifier, type IndicatorRecord } from '../../core/observation/observation.record';

export const REQUIRED_COLUMNS = [
  'locality_code',
  'indicator_code',
  'value',
  'numerator',
  'denominator',
  'qualifier',
  'period_start',
  'period_end',
  'source_title',
  'source_url',
] as const;
export const OPTIONAL_COLUMNS = [
  'period_label',
  'source_publisher',
  'source_published_at',
  'source_document',
  'notes',
  'quote',
  'numerator_qualifier',
  'denominator_qualifier',
  'part_of_unit',
  'source_title_supplied',
] as const;
const KNOWN = new Set<string>([...REQUIRED_COLUMNS, ...OPTIONAL_COLUMNS]);

/** A row that passed validation, ready for staging. */
export interface ValidRow {
  line: number;
  domain: Domain;
  localityCode: string;
  indicatorCode: string;
  value: string;
  numerator: string | null;
  denominator: string | null;
  qualifier: Qualifier;
  periodStart: string | null;
  periodEnd: string | null;
  periodLabel: string | null;
  sourceTitle: string;
  sourceUrl: string | null;
  sourcePublisher: string | null;
  sourcePublishedAt: string | null;
  sourceDocument: string | null;
  notes: string | null;
  quote: string | null;
  /** How the source worded each ratio part; null = as stated (exact). */
  numeratorQualifier: Qualifier | null;
  denominatorQualifier: Qualifier | null;
  /** The part of the unit the figure covers, when not the whole unit. */
  partOfUnit: string | null;
  /** True when we wrote the source title (the document has none); null when the file does not say. */
  sourceTitleSupplied: boolean | null;
}

export interface RowError {
  line: number;
  column?: string;
  message: string;
}

export interface Reference {
  hasLocality(code: string): boolean;
  indicator(code: string): IndicatorRecord | undefined;
}

/** Checks the header: every required column present, no unknown (likely misspelt) column. */
export function checkHeader(header: string[]): RowError[] {
  const errors: RowError[] = [];
  const seen = new Set<string>();
  for (const name of header) {
    if (!KNOWN.has(name)) {
      errors.push({ line: 1, column: name, message: `unknown column "${name}" (known: ${[...KNOWN].join(', ')})` });
    }
    if (seen.has(name)) errors.push({ line: 1, column: name, message: `column "${name}" appears twice` });
    seen.add(name);
  }
  for (const name of REQUIRED_COLUMNS) {
    if (!seen.has(name)) errors.push({ line: 1, column: name, message: `missing required column "${name}"` });
  }
  return errors;
}

const NUMBER = /^-?(\d+)(\.(\d+))?$/;
/** Beyond any real count or amount in VND, and well inside what GraphQL's Float can carry exactly enough. */
export const MAX_VALUE = 1e15;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function isIsoDate(text: string): boolean {
  const m = DATE.exec(text);
  if (!m) return false;
  const d = new Date(0);
  d.setUTCFullYear(Number(m[1]), Number(m[2]) - 1, Number(m[3])); // Date.UTC would map years 0–99 to 1900–1999
  return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]);
}

const decimals = (text: string) => NUMBER.exec(text)?.[3]?.length ?? 0;

/**
 * Validates one CSV record (already split into named fields). Returns the clean row, or every
 * problem found on that line — never just the first.
 */
export function validateRow(record: Record<string, string | undefined>, line: number, ref: Reference): { row?: ValidRow; errors: RowError[] } {
  const errors: RowError[] = [];
  const fail = (column: string, message: string) => errors.push({ line, column, message });
  const text = (k: string) => {
    const v = record[k]?.trim();
    return v ? v : null;
  };

  for (const [column, v] of Object.entries(record)) {
    if (v?.includes('\uFFFD')) fail(column, `${column} has bytes that are not UTF-8 text: save the file as UTF-8`);
    if (v?.includes('\u0000')) fail(column, `${column} contains a NUL character, which cannot be stored`);
  }

  const localityCode = text('locality_code');
  if (!localityCode) fail('locality_code', 'locality_code is required');
  else if (!ref.hasLocality(localityCode)) fail('locality_code', `unknown locality "${localityCode}" (not a GSO code in the registry)`);

  const indicatorCode = text('indicator_code');
  const indicator = indicatorCode ? ref.indicator(indicatorCode) : undefined;
  if (!indicatorCode) fail('indicator_code', 'indicator_code is required');
  else if (!indicator)
    fail('indicator_code', `unknown indicator "${indicatorCode}" (see Query.indicators or subgraphs/<domain>/<domain>.indicators.csv)`);

  const number = (k: 'value' | 'numerator' | 'denominator', required: boolean): string | null => {
    const v = text(k);
    if (v == null) {
      if (required) fail(k, `${k} is required`);
      return null;
    }
    if (!NUMBER.test(v)) {
      fail(k, `${k} "${v}" is not a number (use digits with an optional "." decimal point, no thousands separators)`);
      return null;
    }
    if (v.startsWith('-')) {
      fail(k, `${k} ${v} is negative`);
      return null;
    }
    if (!(Number(v) <= MAX_VALUE)) {
      fail(k, `${k} ${v} is too large (at most ${MAX_VALUE.toExponential()})`);
      return null;
    }
    return v;
  };
  const value = number('value', true);
  const numerator = number('numerator', false);
  const denominator = number('denominator', false);

  // Counts are whole: "1.240" is a Vietnamese-style thousands separator (1240), not 1.24 people.
  const whole = (k: string, v: string | null, what: string) => {
    if (v == null || !v.includes('.')) return;
    const hint = /^\d{1,3}(\.\d{3})+$/.test(v) ? `no thousands separators: write ${v.replace(/\./g, '')}?` : 'no fractions';
    fail(k, `${k} ${v} is not a whole number, as ${what} must be (${hint})`);
  };
  if (indicator && indicator.unit !== 'PERCENT') whole('value', value, `a ${indicator.unit} value`);
  whole('numerator', numerator, 'a count');
  whole('denominator', denominator, 'a count');
  if (indicator && value != null && indicator.unit === 'PERCENT' && Number(value) > 100) {
    fail('value', `value ${value} is outside 0–100 for the PERCENT indicator ${indicator.code}`);
  }
  if (denominator != null && Number(denominator) === 0) fail('denominator', 'denominator is 0');
  if (numerator != null && denominator != null && Number(denominator) > 0) {
    if (Number(numerator) > Number(denominator)) fail('numerator', `numerator ${numerator} is greater than denominator ${denominator}`);
    else if (indicator && value != null && indicator.unit === 'PERCENT') {
      const implied = (100 * Number(numerator)) / Number(denominator);
      const tolerance = 0.5 * 10 ** -decimals(value) + 1e-9;
      if (Math.abs(implied - Number(value)) > tolerance) {
        fail(
          'value',
          `value ${value} does not match numerator/denominator (${numerator}/${denominator} = ${implied.toFixed(Math.max(2, decimals(value) + 1))} %)`,
        );
      }
    }
  }
  if (indicator && indicator.unit !== 'PERCENT' && numerator != null && value != null) {
    const tolerance = 0.5 * 10 ** -decimals(value) + 1e-9;
    if (Math.abs(Number(numerator) - Number(value)) > tolerance) {
      fail('numerator', `numerator ${numerator} differs from value ${value} of the ${indicator.unit} indicator ${indicator.code}`);
    }
  }

  const qualifierOf = (k: string): Qualifier | null => {
    const v = text(k);
    if (v == null) return null;
    if ((QUALIFIERS as string[]).includes(v.toUpperCase())) return v.toUpperCase() as Qualifier;
    fail(k, `${k} "${v}" is not one of ${QUALIFIERS.join(', ')}`);
    return null;
  };
  const qualifier = qualifierOf('qualifier') ?? Qualifier.EXACT;
  const numeratorQualifier = qualifierOf('numerator_qualifier');
  const denominatorQualifier = qualifierOf('denominator_qualifier');
  if (numeratorQualifier && numerator == null) fail('numerator_qualifier', 'numerator_qualifier is set but there is no numerator');
  if (denominatorQualifier && denominator == null) fail('denominator_qualifier', 'denominator_qualifier is set but there is no denominator');

  const suppliedText = text('source_title_supplied')?.toLowerCase() ?? null;
  let sourceTitleSupplied: boolean | null = null;
  if (suppliedText != null) {
    if (['true', 'yes', '1'].includes(suppliedText)) sourceTitleSupplied = true;
    else if (['false', 'no', '0'].includes(suppliedText)) sourceTitleSupplied = false;
    else fail('source_title_supplied', `source_title_supplied "${suppliedText}" is not true or false`);
  }

  const date = (k: string): string | null => {
    const v = text(k);
    if (v != null && !isIsoDate(v)) {
      fail(k, `${k} "${v}" is not a date (YYYY-MM-DD)`);
      return null;
    }
    return v;
  };
  const periodStart = date('period_start');
  const periodEnd = date('period_end');
  if (periodStart && periodEnd && periodStart > periodEnd) fail('period_start', `period_start ${periodStart} is after period_end ${periodEnd}`);
  const sourcePublishedAt = date('source_published_at');

  const sourceTitle = text('source_title');
  if (!sourceTitle) fail('source_title', 'source_title is required (every figure needs its source)');
  const sourceUrl = text('source_url');
  if (sourceUrl != null) {
    let ok = false;
    try {
      ok = ['http:', 'https:'].includes(new URL(sourceUrl).protocol);
    } catch {
      ok = false;
    }
    if (!ok) fail('source_url', `source_url "${sourceUrl}" is not an http(s) URL`);
  }

  if (errors.length) return { errors };
  return {
    errors,
    row: {
      line,
      domain: indicator!.domain,
      localityCode: localityCode!,
      indicatorCode: indicatorCode!,
      value: value!,
      numerator,
      denominator,
      qualifier,
      periodStart,
      periodEnd,
      periodLabel: text('period_label'),
      sourceTitle: sourceTitle!,
      sourceUrl,
      sourcePublisher: text('source_publisher'),
      sourcePublishedAt,
      sourceDocument: text('source_document'),
      notes: text('notes'),
      quote: text('quote'),
      numeratorQualifier,
      denominatorQualifier,
      partOfUnit: text('part_of_unit'),
      sourceTitleSupplied,
    },
  };
}
