import { ADDED_ALIAS_PREFIX, EXPORT_ALIAS_PREFIX } from './export-query';

/** The columns of every export, in order (docs/queries.md, "CSV export"). */
export const CSV_COLUMNS = [
  'locality_code',
  'locality_name',
  'indicator_code',
  'indicator_name',
  'unit',
  'value',
  'qualifier',
  'numerator',
  'numerator_qualifier',
  'denominator',
  'denominator_qualifier',
  'period_start',
  'period_end',
  'period_label',
  'source_title',
  'source_title_supplied',
  'source_url',
  'source_publisher',
  'derived',
  'formula',
  'note',
] as const;
type Column = (typeof CSV_COLUMNS)[number];
export type CsvRow = Record<Column, string | number | boolean | null>;

/** Cells written as numbers; every other cell is text. */
const NUMERIC = new Set<Column>(['value', 'numerator', 'denominator']);

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Period = { start: string | null; end: string | null; label: string | null } | null;
type Added = Record<string, Json | undefined>;

/** The fields the export added to an object, without their prefix. */
const added = (object: { [key: string]: Json }): Added =>
  Object.fromEntries(
    Object.entries(object)
      .filter(([key]) => key.startsWith(ADDED_ALIAS_PREFIX))
      .map(([key, value]) => [key.slice(ADDED_ALIAS_PREFIX.length), value]),
  );

const periodText = (p: Period) => (p ? `${p.start ?? ''}–${p.end ?? ''}${p.label ? ` (${p.label})` : ''}` : 'undated');

function observationRow(o: Added, locality: { code: string; name: string } | null): CsvRow {
  const indicator = o.indicator as { code: string; name: string; unit: string };
  const period = o.period as Period;
  const source = o.source as { title: string; titleSupplied: boolean; url: string | null; publisher: string | null };
  const code = o.localityCode as string;
  return {
    locality_code: code,
    // The nearest enclosing Locality of the result names the place; the figure's own code decides which place it is.
    locality_name: locality?.code === code ? locality.name : null,
    indicator_code: indicator.code,
    indicator_name: indicator.name,
    unit: indicator.unit,
    value: o.value as number,
    qualifier: o.qualifier as string,
    numerator: o.numerator as number | null,
    // A bounded ratio part ("more than 762,000 of ...") keeps its own wording, as in the graph.
    numerator_qualifier: o.numeratorQualifier as string | null,
    denominator: o.denominator as number | null,
    denominator_qualifier: o.denominatorQualifier as string | null,
    period_start: period?.start ?? null,
    period_end: period?.end ?? null,
    period_label: period?.label ?? null,
    source_title: source.title,
    // True when the article gives no title and the one shown is ours: never passed off as the article's.
    source_title_supplied: source.titleSupplied,
    source_url: source.url,
    source_publisher: source.publisher,
    derived: false,
    formula: null,
    note: null,
  };
}

function metricRow(m: Added, locality: { code: string; name: string } | null): CsvRow {
  const period = m.period as Period;
  const inputs = m.inputs as Array<{ role: string; value: number | null; qualifier: string | null; period: Period }>;
  const input = (role: string) => inputs.find((i) => i.role === role);
  const differ = m.periodsDiffer
    ? `inputs' periods differ: ${inputs.map((i) => `${i.role.toLowerCase()} ${periodText(i.period)}`).join(', ')}`
    : null;
  return {
    locality_code: locality?.code ?? null,
    locality_name: locality?.name ?? null,
    indicator_code: m.code as string,
    indicator_name: m.name as string,
    unit: 'RATIO',
    value: m.value as number | null,
    qualifier: m.qualifier as string | null,
    numerator: input('NUMERATOR')?.value ?? null,
    numerator_qualifier: input('NUMERATOR')?.qualifier ?? null,
    denominator: input('DENOMINATOR')?.value ?? null,
    denominator_qualifier: input('DENOMINATOR')?.qualifier ?? null,
    period_start: period?.start ?? null,
    period_end: period?.end ?? null,
    period_label: period?.label ?? null,
    source_title: null,
    source_title_supplied: null,
    source_url: null,
    source_publisher: null,
    derived: true,
    formula: m.formula as string,
    note: (m.reason as string | null) ?? differ,
  };
}

/**
 * Every Observation and DerivedMetric of a result, in result order, each with its nearest enclosing Locality
 * (the export added `_csv_` fields to them: see export-query.ts).
 */
export function* exportRows(value: Json | undefined, locality: { code: string; name: string } | null = null): Generator<CsvRow> {
  if (Array.isArray(value)) {
    for (const item of value) yield* exportRows(item, locality);
    return;
  }
  if (value === null || typeof value !== 'object') return;
  const fields = added(value);
  if (fields.kind === 'Locality') locality = { code: fields.code as string, name: fields.name as string };
  else if (fields.kind === 'Observation') yield observationRow(fields, locality);
  else if (fields.kind === 'DerivedMetric') yield metricRow(fields, locality);
  for (const [key, child] of Object.entries(value)) if (!key.startsWith(EXPORT_ALIAS_PREFIX)) yield* exportRows(child, locality);
}

/** Spreadsheets run a cell starting with these as a formula: such text gets a leading apostrophe (OWASP "CSV injection"). */
const FORMULA_START = /^[=+\-@\t\r]/;

/** One RFC 4180 cell: quoted when it holds a comma, a quote or a line break; quotes doubled. */
export function csvCell(value: string | number | boolean | null, numeric = false): string {
  if (value === null) return '';
  let text = String(value);
  if (!numeric && FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The file, line by line: a UTF-8 BOM (so spreadsheets read the diacritics as UTF-8), the header, the rows; CRLF line ends. */
export function* csvLines(rows: Iterable<CsvRow>): Generator<string> {
  yield '\uFEFF' + CSV_COLUMNS.join(',') + '\r\n';
  for (const row of rows) yield CSV_COLUMNS.map((c) => csvCell(row[c], NUMERIC.has(c))).join(',') + '\r\n';
}
