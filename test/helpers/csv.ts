import fs from 'node:fs';
import { parse } from 'csv-parse/sync';
import { DOMAINS } from '../../common/core/domain';
import { OPTIONAL_COLUMNS, REQUIRED_COLUMNS } from '../../common/data/import/validate';
import { readCatalogue } from '../../common/data/seed/catalogue';
import { fromRoot } from '../../common/platform/paths';

/** Every column the importer knows: the required ones, then the optional ones. */
export const COLUMNS = [...REQUIRED_COLUMNS, ...OPTIONAL_COLUMNS] as string[];

/** The generated file's header: the column order of docs/import.md's example. */
const GENERATED_HEADER =
  'locality_code,indicator_code,value,numerator,denominator,qualifier,period_start,period_end,period_label,source_title,source_url,source_publisher,source_published_at,source_document,notes,quote';

export type Row = Record<string, string | undefined>;

export const csvField = (v: string) => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
export const csvLine = (values: string[]) => values.map(csvField).join(',');
/** A CSV text: the header, then each row's values for `columns` (missing ones empty). */
export const csvText = (rows: Row[], columns: string[] = COLUMNS) =>
  [csvLine(columns), ...rows.map((r) => csvLine(columns.map((c) => r[c] ?? '')))].join('\n') + '\n';

/** The commune codes of the registry seed, in file order (10,047). */
export function communeCodes(): string[] {
  const rows: Array<Record<string, string>> = parse(fs.readFileSync(fromRoot('seeds/admin-units-2025-03-01.csv'), 'utf8'), {
    columns: true,
    skip_empty_lines: true,
    trim: true,
  });
  return rows.filter((r) => r.level === 'commune').map((r) => r.code);
}

export interface GeneratedIndicator {
  code: string;
  domain: string;
  unit: string;
}

/** One indicator of each unit in each domain, headline indicators first. */
export function pickIndicators(units: string[] = ['COUNT', 'PERCENT']): GeneratedIndicator[] {
  const rows = readCatalogue().indicators;
  const picked: GeneratedIndicator[] = [];
  for (const domain of DOMAINS) {
    for (const unit of units) {
      const candidates = rows.filter((r) => r.domain === domain && r.unit === unit);
      const choice = candidates.find((r) => r.headline) ?? candidates[0];
      if (!choice) throw new Error(`the catalogue has no ${unit} indicator of domain ${domain}`);
      picked.push({ code: choice.code, domain, unit });
    }
  }
  return picked;
}

const QUALIFIERS = ['EXACT', 'APPROXIMATE', 'AT_LEAST', 'AT_MOST'];

export interface GenerateOptions {
  rows: number;
  communes?: string[];
  indicators?: GeneratedIndicator[];
  /** Sources are `<sourcePrefix> <domain> statistics <year>`, one per domain and year. */
  sourcePrefix?: string;
}

export interface Generated {
  rows: number;
  /** The years, oldest first. */
  periods: string[];
  communes: number;
  indicators: GeneratedIndicator[];
}

/**
 * Writes `rows` valid observations, streamed: year × commune × indicator (the years end in 2024), so every
 * natural key is distinct. PERCENT rows carry a numerator/denominator that match the value; qualifiers cycle.
 * The one large-CSV generator of the tests and `npm run bench`.
 */
export async function generateObservationsCsv(file: string, options: GenerateOptions): Promise<Generated> {
  const communes = options.communes ?? communeCodes();
  const indicators = options.indicators ?? pickIndicators();
  const prefix = options.sourcePrefix ?? 'Atlas benchmark synthetic';
  const years = Math.ceil(options.rows / (communes.length * indicators.length));
  const firstYear = 2025 - years;
  const out = fs.createWriteStream(file);
  const done = new Promise<void>((resolve, reject) => {
    out.on('finish', resolve);
    out.on('error', reject);
  });
  const write = (chunk: string) => (out.write(chunk) ? Promise.resolve() : new Promise<void>((r) => out.once('drain', () => r())));
  await write(`${GENERATED_HEADER}\n`);
  let n = 0;
  let buffer: string[] = [];
  const periods: string[] = [];
  outer: for (let y = 0; y < years; y++) {
    const year = firstYear + y;
    periods.push(String(year));
    for (const commune of communes) {
      for (const indicator of indicators) {
        if (n >= options.rows) break outer;
        const title = `${prefix} ${indicator.domain} statistics ${year}`;
        const url = `https://bench.example.org/atlas/${indicator.domain}/${year}`;
        const seed = (n * 2654435761) >>> 0;
        let value: string;
        let numerator = '';
        let denominator = '';
        if (indicator.unit === 'PERCENT') {
          const den = 500 + (seed % 20_000);
          const num = Math.floor((den * ((seed >>> 8) % 1001)) / 1000);
          numerator = String(num);
          denominator = String(den);
          value = ((100 * num) / den).toFixed(2);
        } else {
          value = String(seed % 250_000);
        }
        const qualifier = QUALIFIERS[n % QUALIFIERS.length];
        buffer.push(
          `${commune},${indicator.code},${value},${numerator},${denominator},${qualifier},${year}-01-01,${year}-12-31,Year ${year},${csvField(title)},${url},Atlas bench,,,,`,
        );
        n += 1;
        if (buffer.length === 2_000) {
          await write(`${buffer.join('\n')}\n`);
          buffer = [];
        }
      }
    }
  }
  if (buffer.length) await write(`${buffer.join('\n')}\n`);
  out.end();
  await done;
  return { rows: n, periods, communes: communes.length, indicators };
}
