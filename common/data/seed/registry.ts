import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { parse } from 'csv-parse/sync';
import type { DataSource } from 'typeorm';
import { LEVEL_DEPTH, LOCALITY_TYPE_BY_NAME, LocalityLevel, LocalityType } from '../../core/locality/locality-level';
import { COUNTRY_CODE, type LocalityRecord } from '../../core/locality/locality.record';
import { foldText } from '../../core/locality/normalize';
import { SeedRepository } from './seed.repository';

export const REGISTRY_FILE = 'admin-units-2025-03-01.csv';

export interface RegistryRow extends LocalityRecord {
  depth: number;
  searchKey: string;
  nameKey: string;
}

export interface Registry {
  rows: RegistryRow[];
  checksum: string;
}

const LEVELS: Record<string, LocalityLevel> = {
  province: LocalityLevel.PROVINCE,
  district: LocalityLevel.DISTRICT,
  commune: LocalityLevel.COMMUNE,
};

const COUNTRY: LocalityRecord = {
  code: COUNTRY_CODE,
  name: 'Việt Nam',
  nameAscii: 'Viet Nam',
  level: LocalityLevel.COUNTRY,
  type: LocalityType.COUNTRY,
  typeName: 'Quốc gia',
  parentCode: null,
  ancestorCodes: [],
};

function withKeys(r: LocalityRecord): RegistryRow {
  return {
    ...r,
    depth: LEVEL_DEPTH[r.level], // '|' keeps a phrase from spanning the two names ("...Hưng Định | Hung Dinh" must not match "dinh hung").
    searchKey: `${foldText(r.name)} | ${foldText(r.nameAscii)}`,
    nameKey: foldText(r.nameAscii),
  };
}

/**
 * Reads the GSO unit list (code,name,name_en,type,level,parent_code) under a country root, checking
 * that codes are unique and every parent exists one level up. Throws naming the line on bad data.
 */
export function readRegistry(file: string): Registry {
  const text = fs.readFileSync(file, 'utf8');
  const records: Record<string, string>[] = parse(text, { columns: true, skip_empty_lines: true, trim: true });
  const byCode = new Map<string, LocalityRecord>([[COUNTRY.code, COUNTRY]]);
  const problems: string[] = [];
  records.forEach((rec, i) => {
    const line = i + 2;
    const level = LEVELS[rec.level];
    const type = LOCALITY_TYPE_BY_NAME[rec.type];
    if (!/^\d{2,5}$/.test(rec.code ?? '')) problems.push(`line ${line}: code "${rec.code}" is not a GSO code`);
    else if (byCode.has(rec.code)) problems.push(`line ${line}: code ${rec.code} appears twice`);
    if (!level) problems.push(`line ${line}: unknown level "${rec.level}"`);
    if (!type) problems.push(`line ${line}: unknown unit type "${rec.type}"`);
    if (!rec.name || !rec.name_en) problems.push(`line ${line}: name and name_en are required`);
    const parentCode = rec.parent_code || COUNTRY_CODE;
    const parent = byCode.get(parentCode);
    if (!parent) problems.push(`line ${line}: parent ${parentCode} of ${rec.code} is not listed before it`);
    else if (level && LEVEL_DEPTH[parent.level] !== LEVEL_DEPTH[level] - 1) {
      problems.push(`line ${line}: ${rec.level} ${rec.code} has a ${parent.level.toLowerCase()} parent ${parentCode}`);
    }
    if (level && type && parent) {
      byCode.set(rec.code, {
        code: rec.code,
        name: rec.name,
        nameAscii: rec.name_en,
        level,
        type,
        typeName: rec.type,
        parentCode,
        ancestorCodes: [...parent.ancestorCodes, parentCode],
      });
    }
  });
  if (problems.length) throw new Error(`${file}:\n  ${problems.slice(0, 50).join('\n  ')}`);
  const checksum = createHash('sha256').update(text).update('registry-v2').digest('hex');
  return { rows: [...byCode.values()].map(withKeys), checksum };
}

/** Upserts the registry into the data source's schema in one statement; skips when already loaded. */
export async function loadRegistry(db: DataSource, registry: Registry): Promise<{ loaded: boolean; rows: number }> {
  const repo = new SeedRepository(db);
  if ((await repo.checksum('registry')) === registry.checksum) return { loaded: false, rows: registry.rows.length };
  await repo.replaceSeed('registry', registry.checksum, (tx) => SeedRepository.upsertLocalities(tx, registry.rows));
  return { loaded: true, rows: registry.rows.length };
}
