import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { importFiles } from '../../common/data/seed/seed';
import { communeCodes, generateObservationsCsv, type GeneratedIndicator } from './csv';

/** The three indicators of the synthetic national data: one PERCENT indicator of each domain. */
export const EID_RATE: GeneratedIndicator = { code: 'identity.eid.activation_rate', domain: 'identity', unit: 'PERCENT' };
export const ACCOUNT_RATE: GeneratedIndicator = { code: 'finance.account.transaction_account_rate_15plus', domain: 'finance', unit: 'PERCENT' };
export const COVERAGE_4G: GeneratedIndicator = { code: 'infrastructure.coverage.4g_population', domain: 'infrastructure', unit: 'PERCENT' };

/** Latest value (exact decimal text) of each indicator for each commune, read back from the generated files. */
export type LatestValues = Map<string, Map<string, string>>;

export interface NationalFigures {
  latest: LatestValues;
  /** Communes left without an eID rate (every tenth): they must be missing from rankings by it, not ranked last. */
  withoutEidRate: Set<string>;
  rows: number;
}

/**
 * Loads synthetic figures for all 10,047 communes through the real import (so the read model is refreshed the way
 * production refreshes it): the eID rate for nine communes in ten over two years (2023 and 2024, so "latest"
 * matters), the account rate and 4G coverage for every commune in 2024.
 */
export async function loadNationalFigures(url: string, dir: string): Promise<NationalFigures> {
  const all = communeCodes();
  const withoutEidRate = new Set(all.filter((_c, i) => i % 10 === 0));
  const eidCommunes = all.filter((c) => !withoutEidRate.has(c));
  const files = [
    { file: path.join(dir, 'eid.csv'), communes: eidCommunes, indicator: EID_RATE, years: 2 },
    { file: path.join(dir, 'accounts.csv'), communes: all, indicator: ACCOUNT_RATE, years: 1 },
    { file: path.join(dir, 'coverage.csv'), communes: all, indicator: COVERAGE_4G, years: 1 },
  ];
  let rows = 0;
  for (const f of files) {
    const generated = await generateObservationsCsv(f.file, {
      rows: f.communes.length * f.years,
      communes: f.communes,
      indicators: [f.indicator],
      sourcePrefix: 'Ranking test synthetic',
    });
    rows += generated.rows;
  }
  await importFiles(
    url,
    files.map((f) => f.file),
  );
  return { latest: readLatest(files.map((f) => f.file)), withoutEidRate, rows };
}

function readLatest(files: string[]): LatestValues {
  const latest: LatestValues = new Map();
  const periodOf = new Map<string, string>();
  for (const file of files) {
    const records: Array<Record<string, string>> = parse(fs.readFileSync(file, 'utf8'), { columns: true, skip_empty_lines: true });
    for (const r of records) {
      const key = `${r.indicator_code}|${r.locality_code}`;
      if ((periodOf.get(key) ?? '') > r.period_end) continue;
      periodOf.set(key, r.period_end);
      const byCommune = latest.get(r.indicator_code) ?? new Map<string, string>();
      latest.set(r.indicator_code, byCommune.set(r.locality_code, r.value));
    }
  }
  return latest;
}

export interface ExpectedNode {
  code: string;
  value: number;
  rank: number;
}

/**
 * The ranking computed independently of SQL: places of `scope` with a value of `by` that pass every filter, by value
 * (descending or ascending), ties by code; competition ranks (1, 2, 2, 4).
 */
export function expectedRanking(
  latest: LatestValues,
  by: string,
  descending: boolean,
  scope: readonly string[],
  filters: Array<{ indicator: string; test: (value: number) => boolean }> = [],
): ExpectedNode[] {
  const valueOf = (indicator: string, code: string) => {
    const text = latest.get(indicator)?.get(code);
    return text == null ? undefined : Number(text);
  };
  const kept = scope
    .map((code) => ({ code, value: valueOf(by, code) }))
    .filter((n): n is { code: string; value: number } => n.value !== undefined)
    .filter((n) =>
      filters.every((f) => {
        const v = valueOf(f.indicator, n.code);
        return v !== undefined && f.test(v);
      }),
    )
    .sort((a, b) => (a.value === b.value ? (a.code < b.code ? -1 : 1) : descending ? b.value - a.value : a.value - b.value));
  return kept
    .map((n, i) => ({ ...n, rank: i > 0 && kept[i - 1].value === n.value ? 0 : i + 1 }))
    .map((n, i, list) => {
      // A tie takes the rank of the first of its run.
      if (n.rank === 0) n.rank = list[i - 1].rank;
      return n;
    });
}
