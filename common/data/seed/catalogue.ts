import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { parse } from 'csv-parse/sync';
import type { DataSource } from 'typeorm';
import { DOMAINS, type Domain } from '../../core/domain';
import { UNITS, type IndicatorRecord, type Unit } from '../../core/observation/observation.record';
import { SeedRepository } from './seed.repository';

export const CATALOGUE_FILE = 'indicators.csv';
const HEADER = ['code', 'domain', 'name', 'unit', 'denominator', 'description', 'headline'];

export interface Catalogue {
  indicators: IndicatorRecord[];
  checksum: string;
}

/** Reads seeds/indicators.csv; the file order is the catalogue order (canonical headline indicators first). */
export function readCatalogue(file: string): Catalogue {
  const text = fs.readFileSync(file, 'utf8');
  const rows: string[][] = parse(text, { skip_empty_lines: true, trim: true });
  const [header, ...records] = rows;
  if (header?.join(',') !== HEADER.join(',')) throw new Error(`${file}: header must be ${HEADER.join(',')}`);
  const problems: string[] = [];
  const seen = new Set<string>();
  const indicators = records.map(([code, domain, name, unit, denominator, description, headline], i) => {
    const line = i + 2;
    if (!/^[a-z]+(\.[a-z0-9_]+)+$/.test(code)) problems.push(`line ${line}: code "${code}" must look like domain.topic.measure`);
    if (seen.has(code)) problems.push(`line ${line}: code ${code} appears twice`);
    seen.add(code);
    if (!DOMAINS.includes(domain as Domain)) problems.push(`line ${line}: domain "${domain}" is not one of ${DOMAINS.join(', ')}`);
    else if (!code.startsWith(`${domain}.`)) problems.push(`line ${line}: code ${code} must start with its domain ${domain}.`);
    if (!(UNITS as readonly string[]).includes(unit)) problems.push(`line ${line}: unit "${unit}" is not one of ${UNITS.join(', ')}`);
    if (!name) problems.push(`line ${line}: name is required`);
    return {
      code,
      domain: domain as Domain,
      name,
      unit: unit as `${Unit}`,
      denominator: denominator || null,
      description: description || null,
      headline: headline || null,
      position: i + 1,
    };
  });
  if (problems.length) throw new Error(`${file}:\n  ${problems.join('\n  ')}`);
  return { indicators, checksum: createHash('sha256').update(text).update('catalogue-v1').digest('hex') };
}

/** Upserts the whole catalogue into the data source's schema (every subgraph serves it). */
export async function loadCatalogue(db: DataSource, catalogue: Catalogue): Promise<{ loaded: boolean; rows: number }> {
  const repo = new SeedRepository(db);
  if ((await repo.checksum('catalogue')) === catalogue.checksum) return { loaded: false, rows: catalogue.indicators.length };
  await repo.replaceSeed('catalogue', catalogue.checksum, (tx) => SeedRepository.upsertIndicators(tx, catalogue.indicators));
  return { loaded: true, rows: catalogue.indicators.length };
}
