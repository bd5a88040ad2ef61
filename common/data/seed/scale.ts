import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import { DOMAINS, type Domain } from '../../core/domain';
import type { IndicatorRecord } from '../../core/observation/observation.record';
import { readCatalogue } from './catalogue';
import { ScaleRepository, type ScaleUnit, type SyntheticSource } from './scale.repository';

/**
 * The synthetic source. Clients tell its figures apart by `source.document` (SYNTHETIC_DOCUMENT) or the title;
 * `npm run seed:scale -- --remove` deletes them.
 */
export const SYNTHETIC_DOCUMENT = 'synthetic:seed-scale';
export const SYNTHETIC_SOURCE: SyntheticSource = {
  title: 'SYNTHETIC national-scale test data (npm run seed:scale): not real figures',
  publisher: 'vn-digital-atlas seed:scale generator',
  document: SYNTHETIC_DOCUMENT,
};
export const SCALE_APPLICATION_NAME = 'atlas-seed-scale';

/** A quarter of the synthetic series. */
export interface ScalePeriod {
  /** 0 for 2023-Q3 … 7 for 2025-Q2: a quarter's values do not depend on how many quarters a run writes. */
  index: number;
  start: string;
  end: string;
  label: string;
}

/**
 * Eight quarters, 2023-Q3 to 2025-Q2, all before the 2025 reform: the figures belong to the units in force then
 * (the pre-reform registry, 10,807 units), as real figures of those quarters would.
 */
export function scalePeriods(count: number): ScalePeriod[] {
  if (!Number.isInteger(count) || count < 1 || count > 8) throw new RangeError(`seed:scale periods must be an integer from 1 to 8, got ${count}`);
  const out: ScalePeriod[] = [];
  for (let i = 8 - count; i < 8; i++) {
    const year = 2023 + Math.floor((i + 2) / 4);
    const q = ((i + 2) % 4) + 1;
    const startMonth = (q - 1) * 3 + 1;
    const endDay = new Date(Date.UTC(year, startMonth + 2, 0)).getUTCDate();
    const mm = (m: number) => String(m).padStart(2, '0');
    out.push({ index: i, start: `${year}-${mm(startMonth)}-01`, end: `${year}-${mm(startMonth + 2)}-${endDay}`, label: `${year}-Q${q}` });
  }
  return out;
}

export interface ScaleOptions {
  /** Quarters, 1 to 8 (default 8: 2023-Q3 … 2025-Q2). */
  periods?: number;
  /** Indicators per domain (default 10: headline indicators first, then catalogue order; COUNT and PERCENT only). */
  indicatorsPerDomain?: number;
  /** Called as rows are sent (rows so far, rows in all). */
  onProgress?: (done: number, total: number) => void;
}

export interface ScaleSummary {
  domains: Record<Domain, { deleted: number; inserted: number }>;
  inserted: number;
  deleted: number;
  indicators: number;
  units: number;
  periods: number;
  /** Whole run (transaction, COPY, read-model fill, commit). */
  seconds: number;
  /** Inserted rows per second of the whole run. */
  rowsPerSecond: number;
}

/** --quick: one quarter, four indicators per domain (about 130,000 rows): CI-sized. */
export const QUICK_SCALE: Required<Pick<ScaleOptions, 'periods' | 'indicatorsPerDomain'>> = { periods: 1, indicatorsPerDomain: 4 };

/** The catalogue indicators the generator fills, per domain. */
export function scaleIndicators(perDomain: number, catalogue: IndicatorRecord[] = readCatalogue().indicators): Record<Domain, IndicatorRecord[]> {
  const out = {} as Record<Domain, IndicatorRecord[]>;
  for (const domain of DOMAINS) {
    const usable = catalogue.filter((i) => i.domain === domain && (i.unit === 'COUNT' || i.unit === 'PERCENT'));
    const ordered = [...usable.filter((i) => i.headline), ...usable.filter((i) => !i.headline)];
    out[domain] = ordered.slice(0, perDomain);
  }
  return out;
}

/** FNV-1a: a stable number in [0, 1) per key, so every run writes the same values. */
function unit01(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) / 0x100000000;
}

/** Counts of things (stations, teams, signatures) are tens per commune; counts of people thousands. */
const isThingCount = (code: string) => /station|team|signature/.test(code);

/**
 * Values of one indicator for every unit and period (unit-major): leaves get a deterministic level and trend,
 * parents the sum (counts) or the mean (percentages) of their children, so a province's count is the sum of its
 * communes' and a rate stays within 0–100.
 */
export function generateValues(indicator: IndicatorRecord, units: ScaleUnit[], quarters: readonly number[]): Float64Array {
  const periods = quarters.length;
  const index = new Map(units.map((u, i) => [u.code, i]));
  const children = new Map<number, number[]>();
  units.forEach((u, i) => {
    const p = u.parentCode == null ? undefined : index.get(u.parentCode);
    if (p !== undefined) children.set(p, [...(children.get(p) ?? []), i]);
  });
  const values = new Float64Array(units.length * periods);
  const percent = indicator.unit === 'PERCENT';
  // Units come parents first: fill from the end so children are done before their parent.
  for (let i = units.length - 1; i >= 0; i--) {
    const kids = children.get(i);
    for (let p = 0; p < periods; p++) {
      let v: number;
      if (kids) {
        let sum = 0;
        for (const k of kids) sum += values[k * periods + p];
        v = percent ? Math.round((sum / kids.length) * 10) / 10 : sum;
      } else {
        const a = unit01(`${indicator.code}|${units[i].code}`);
        const b = unit01(`${units[i].code}|${indicator.code}|trend`);
        const q = quarters[p];
        if (percent) v = Math.min(100, Math.round((15 + 70 * a + q * (0.3 + 1.7 * b)) * 10) / 10);
        else v = Math.round((isThingCount(indicator.code) ? 3 + 30 * a : 400 + 8000 * a) * (1 + q * 0.01 * (1 + 5 * b)));
      }
      values[i * periods + p] = v;
    }
  }
  return values;
}

/**
 * COPY lines of one domain, about 1 MB a chunk, in the order of the indexes that lead with locality_code (locality,
 * then indicator, then period): each index page is filled once instead of revisited for every indicator, and one
 * locality's figures share heap pages, as the profile loader reads them. Leaves out pairs that real figures hold.
 */
function* copyChunks(
  indicators: IndicatorRecord[],
  units: ScaleUnit[],
  periods: ScalePeriod[],
  sourceId: number,
  skip: Set<string>,
  onRows: (n: number) => void,
): Generator<string> {
  const tail = `\t${sourceId}\tsynthetic\n`;
  const periodText = periods.map((p) => `\tEXACT\t${p.start}\t${p.end}\t${p.label}`);
  const ordered = [...indicators].sort((a, b) => (a.code < b.code ? -1 : 1));
  const values = ordered.map((indicator) =>
    generateValues(
      indicator,
      units,
      periods.map((p) => p.index),
    ),
  );
  const byIndexOrder = units.map((_u, i) => i).sort((a, b) => units[a].indexOrder - units[b].indexOrder);
  let chunk = '';
  let rows = 0;
  for (const i of byIndexOrder) {
    ordered.forEach((indicator, k) => {
      if (skip.has(`${units[i].code}|${indicator.code}`)) return;
      const head = `${units[i].code}\t${indicator.code}\t`;
      for (let p = 0; p < periods.length; p++) chunk += head + values[k][i * periods.length + p] + periodText[p] + tail;
      rows += periods.length;
    });
    if (chunk.length > 1 << 20) {
      yield chunk;
      onRows(rows);
      chunk = '';
      rows = 0;
    }
  }
  if (chunk) {
    yield chunk;
    onRows(rows);
  }
}

async function inTransaction<T>(url: string, work: (repo: ScaleRepository) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url, application_name: SCALE_APPLICATION_NAME });
  await client.connect();
  const repo = new ScaleRepository(client);
  try {
    await repo.begin();
    const result = await work(repo);
    await repo.commit();
    return result;
  } catch (err) {
    await repo.rollback().catch(() => undefined);
    throw err;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * Loads (or replaces) the synthetic national-scale figures of every domain in ONE transaction: the previous
 * synthetic rows go, the new ones arrive by COPY, each domain's ranking read model is brought in step. All or nothing;
 * figures of every other source are never touched. Expects migrated schemas with the registry and catalogue.
 */
export async function loadScale(url: string, options: ScaleOptions = {}): Promise<ScaleSummary> {
  const periods = scalePeriods(options.periods ?? 8);
  const byDomain = scaleIndicators(options.indicatorsPerDomain ?? 10);
  const t0 = performance.now();
  return inTransaction(url, async (repo) => {
    await repo.useSchema(DOMAINS[0]);
    const units = await repo.unitsInForce(periods[0].start, periods[periods.length - 1].end);
    const localityCodes = units.map((u) => u.code);
    const skipRowChecks = await repo.canSkipRowChecks();
    const indicators = DOMAINS.reduce((n, d) => n + byDomain[d].length, 0);
    const total = units.length * indicators * periods.length;
    let done = 0;
    options.onProgress?.(0, total);
    const domains = {} as ScaleSummary['domains'];
    for (const domain of DOMAINS) {
      await repo.useSchema(domain);
      const sourceId = await repo.upsertSource(SYNTHETIC_SOURCE);
      const deleted = await repo.deleteObservations(sourceId, skipRowChecks);
      const skip = await repo.pairsOfOtherSources(sourceId);
      const codes = byDomain[domain].map((i) => i.code);
      if (!(await repo.lockReferences(localityCodes, codes, sourceId))) {
        throw new Error(`${domain}: its registry or catalogue lacks units or indicators the figures need; run \`npm run seed\` first`);
      }
      const inserted = await repo.copyObservations(
        copyChunks(byDomain[domain], units, periods, sourceId, skip, (n) => options.onProgress?.((done += n), total)),
        skipRowChecks,
      );
      await repo.fillLatest(skipRowChecks);
      domains[domain] = { deleted, inserted };
    }
    const seconds = (performance.now() - t0) / 1000;
    const inserted = DOMAINS.reduce((n, d) => n + domains[d].inserted, 0);
    return {
      domains,
      inserted,
      deleted: DOMAINS.reduce((n, d) => n + domains[d].deleted, 0),
      indicators,
      units: units.length,
      periods: periods.length,
      seconds,
      rowsPerSecond: Math.round(inserted / seconds),
    };
  });
}

/** Deletes every synthetic figure and the synthetic source of each domain, in one transaction, and brings the read models in step. */
export async function removeScale(url: string): Promise<{ deleted: number; seconds: number }> {
  const t0 = performance.now();
  return inTransaction(url, async (repo) => {
    const skipRowChecks = await repo.canSkipRowChecks();
    let deleted = 0;
    for (const domain of DOMAINS) {
      await repo.useSchema(domain);
      const sourceId = await repo.sourceId(SYNTHETIC_SOURCE);
      if (sourceId === undefined) continue;
      deleted += await repo.deleteObservations(sourceId, skipRowChecks);
      await repo.deleteSource(sourceId);
      await repo.fillLatest(skipRowChecks);
    }
    return { deleted, seconds: (performance.now() - t0) / 1000 };
  });
}
