import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import type { DataSource } from 'typeorm';
import { LEVEL_DEPTH, LOCALITY_TYPE_BY_NAME, LocalityLevel, LocalityType } from '../../core/locality/locality-level';
import { COUNTRY_CODE, type LocalityLinkRecord, type LocalityRecord } from '../../core/locality/locality.record';
import { foldText } from '../../core/locality/normalize';
import { readReform } from './reform';
import { RegistryValidationError } from './registry-error';
import { SeedRepository } from './seed.repository';

export { RegistryValidationError };

export const REGISTRY_FILE = 'admin-units-2025-03-01.csv';

/** One GSO list of units and the period it is in force; `prefix` makes its codes distinct from an earlier list's reused ones. */
export interface RegistryVintage {
  file: string;
  prefix: string;
  validFrom: string | null;
  validTo: string | null;
  /** The tiers below the country, top down: a unit's parent is of the tier just above its own. */
  tiers: LocalityLevel[];
}

/** The registries in force one after the other: before the 2025 reform (three tiers), and from 1 July 2025 (no districts). */
export const REGISTRY_VINTAGES: readonly RegistryVintage[] = [
  {
    file: REGISTRY_FILE,
    prefix: '',
    validFrom: null,
    validTo: '2025-06-30',
    tiers: [LocalityLevel.PROVINCE, LocalityLevel.DISTRICT, LocalityLevel.COMMUNE],
  },
  {
    file: 'admin-units-2025-07-01.csv',
    prefix: '2025:',
    validFrom: '2025-07-01',
    validTo: null,
    tiers: [LocalityLevel.PROVINCE, LocalityLevel.COMMUNE],
  },
];

export interface RegistryRow extends LocalityRecord {
  depth: number;
  searchKey: string;
  nameKey: string;
}

export interface Registry {
  rows: RegistryRow[];
  /** Old → new edges of the 2025 reform (empty when only one list is read). */
  links?: LocalityLinkRecord[];
  checksum: string;
}

const LEVELS: Record<string, LocalityLevel> = {
  province: LocalityLevel.PROVINCE,
  district: LocalityLevel.DISTRICT,
  commune: LocalityLevel.COMMUNE,
};

const COUNTRY: LocalityRecord = {
  code: COUNTRY_CODE,
  gsoCode: COUNTRY_CODE,
  name: 'Việt Nam',
  nameAscii: 'Viet Nam',
  level: LocalityLevel.COUNTRY,
  type: LocalityType.COUNTRY,
  typeName: 'Quốc gia',
  parentCode: null,
  ancestorCodes: [],
  validFrom: null,
  validTo: null,
};

function withKeys(r: LocalityRecord): RegistryRow {
  return {
    ...r,
    depth: LEVEL_DEPTH[r.level], // '|' keeps a phrase from spanning the two names ("...Hưng Định | Hung Dinh" must not match "dinh hung").
    searchKey: `${foldText(r.name)} | ${foldText(r.nameAscii)}`,
    nameKey: foldText(r.nameAscii),
  };
}

const UNIT_COLUMNS = ['code', 'name', 'name_en', 'type', 'level', 'parent_code'];

/** Parses a CSV file with a header, refusing (with its line) a file that is not CSV or lacks a column. */
export function readCsv(file: string, name: string, columns: readonly string[]): { text: string; records: Record<string, string>[] } {
  const text = fs.readFileSync(file, 'utf8');
  let records: Record<string, string>[];
  try {
    records = parse(text, { bom: true, columns: (h: string[]) => h.map((c) => c.trim().toLowerCase()), skip_empty_lines: true, trim: true });
  } catch (err) {
    const line = (err as { lines?: number }).lines;
    throw new RegistryValidationError([`${name}:${line ?? 1}: not readable as CSV (${(err as Error).message})`]);
  }
  const header = Object.keys(records[0] ?? {});
  const missing = records.length ? columns.filter((c) => !header.includes(c)) : [];
  if (records.length === 0) throw new RegistryValidationError([`${name}:1: no rows (header ${columns.join(',')} and one row per unit)`]);
  if (missing.length) throw new RegistryValidationError([`${name}:1: the header lacks ${missing.join(', ')} (expected ${columns.join(',')})`]);
  return { text, records };
}

/**
 * Reads one GSO unit list (code,name,name_en,type,level,parent_code) under a country root, checking that codes
 * are unique and every parent is listed before it, one tier up. Throws a RegistryValidationError naming the file,
 * line and column of every bad row. `name` is how messages name the file.
 */
export function readRegistry(file: string, vintage: RegistryVintage = REGISTRY_VINTAGES[0], name = path.basename(file)): Registry {
  const { text, records } = readCsv(file, name, UNIT_COLUMNS);
  const byCode = new Map<string, LocalityRecord>([[COUNTRY.code, COUNTRY]]);
  const problems: string[] = [];
  records.forEach((rec, i) => {
    const at = (column: string) => `${name}:${i + 2} [${column}]`;
    const level = LEVELS[rec.level];
    const type = LOCALITY_TYPE_BY_NAME[rec.type];
    const code = vintage.prefix + rec.code;
    if (!/^\d{2,5}$/.test(rec.code ?? '')) problems.push(`${at('code')}: code "${rec.code}" is not a GSO code (2 to 5 digits)`);
    else if (byCode.has(code)) problems.push(`${at('code')}: code ${rec.code} appears twice`);
    if (!level || !vintage.tiers.includes(level)) {
      problems.push(`${at('level')}: level "${rec.level}" is not one of this list's tiers (${vintage.tiers.join(', ').toLowerCase()})`);
    }
    if (!type) problems.push(`${at('type')}: unknown unit type "${rec.type}" (one of ${Object.keys(LOCALITY_TYPE_BY_NAME).join(', ')})`);
    if (!rec.name) problems.push(`${at('name')}: name is required`);
    if (!rec.name_en) problems.push(`${at('name_en')}: name_en is required`);
    const parentCode = rec.parent_code ? vintage.prefix + rec.parent_code : COUNTRY_CODE;
    const parent = byCode.get(parentCode);
    const parentLevel = level ? (vintage.tiers[vintage.tiers.indexOf(level) - 1] ?? LocalityLevel.COUNTRY) : undefined;
    if (!parent) problems.push(`${at('parent_code')}: parent ${rec.parent_code || COUNTRY_CODE} of ${rec.code} is not listed before it`);
    else if (parentLevel && parent.level !== parentLevel) {
      problems.push(`${at('parent_code')}: ${rec.level} ${rec.code} has a ${parent.level.toLowerCase()} parent ${rec.parent_code}`);
    }
    if (level && type && parent) {
      byCode.set(code, {
        code,
        gsoCode: rec.code,
        name: rec.name,
        nameAscii: rec.name_en,
        level,
        type,
        typeName: rec.type,
        parentCode,
        ancestorCodes: [...parent.ancestorCodes, parentCode],
        validFrom: vintage.validFrom,
        validTo: vintage.validTo,
      });
    }
  });
  if (problems.length) throw new RegistryValidationError(problems);
  const checksum = createHash('sha256').update(text).update(JSON.stringify(vintage)).update('registry-v3').digest('hex');
  return { rows: [...byCode.values()].map(withKeys), checksum };
}

/** Every vintage of `vintages` from `seedsDir`, under one country root, with the reform links between them. */
export function readRegistries(seedsDir: string, vintages: readonly RegistryVintage[] = REGISTRY_VINTAGES): Registry {
  const parts = vintages.map((v) => readRegistry(path.join(seedsDir, v.file), v));
  const rows = [parts[0].rows[0], ...parts.flatMap((p) => p.rows.slice(1))];
  const links = readReform(seedsDir, new Map(rows.map((r) => [r.code, r])));
  const checksum = createHash('sha256');
  for (const part of [...parts, links]) checksum.update(part.checksum);
  return { rows, links: links.links, checksum: checksum.digest('hex') };
}

/** Upserts the registry (and replaces the reform links) in the data source's schema in one transaction; skips when already loaded. */
export async function loadRegistry(db: DataSource, registry: Registry): Promise<{ loaded: boolean; rows: number }> {
  const repo = new SeedRepository(db);
  if ((await repo.checksum('registry')) === registry.checksum) return { loaded: false, rows: registry.rows.length };
  await repo.replaceSeed('registry', registry.checksum, async (tx) => {
    await SeedRepository.upsertLocalities(tx, registry.rows);
    await SeedRepository.replaceLinks(
      tx,
      registry.links ?? [],
      registry.rows.map((r) => r.code),
    );
  });
  return { loaded: true, rows: registry.rows.length };
}
