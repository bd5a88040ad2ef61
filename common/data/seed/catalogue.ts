import { createHash, type Hash } from 'node:crypto';
import path from 'node:path';
import fs from 'node:fs';
import { parse } from 'csv-parse/sync';
import type { DataSource } from 'typeorm';
import { DOMAINS, type Domain } from '../../core/domain';
import { UNITS, type IndicatorRecord, type Unit } from '../../core/observation/observation.record';
import { PROJECT_ROOT } from '../../platform/paths';
import { SeedRepository } from './seed.repository';

/** Each subgraph folder holds its domain's part of the catalogue; the data layer knows the file names, not the code. */
export const catalogueFiles = (root: string = PROJECT_ROOT) => DOMAINS.map((d) => path.join(root, 'subgraphs', d, `${d}.indicators.csv`));
const HEADER = ['code', 'domain', 'name', 'unit', 'denominator', 'description', 'headline'];

export interface Catalogue {
  indicators: IndicatorRecord[];
  checksum: string;
}

/**
 * Reads the three domain files (subgraphs/<domain>/<domain>.indicators.csv) in domain order; the file order
 * is the catalogue order. Throws naming the file and line of every bad row.
 */
export function readCatalogue(files: string[] = catalogueFiles()): Catalogue {
  const problems: string[] = [];
  const seen = new Set<string>();
  const hash = createHash('sha256');
  const indicators = files.flatMap((file) => readCatalogueFile(file, seen, problems, hash));
  indicators.forEach((indicator, i) => (indicator.position = i + 1));
  if (problems.length) throw new Error(`indicator catalogue:\n  ${problems.join('\n  ')}`);
  return { indicators, checksum: hash.update('catalogue-v2').digest('hex') };
}

function readCatalogueFile(file: string, seen: Set<string>, problems: string[], hash: Hash): IndicatorRecord[] {
  const text = fs.readFileSync(file, 'utf8');
  hash.update(text);
  const rows: string[][] = parse(text, { skip_empty_lines: true, trim: true });
  const [header, ...records] = rows;
  if (header?.join(',') !== HEADER.join(',')) {
    problems.push(`${file}: header must be ${HEADER.join(',')}`);
    return [];
  }
  return records.map(([code, domain, name, unit, denominator, description, headline], i) => {
    const line = `${path.relative(PROJECT_ROOT, file)}:${i + 2}`;
    if (!/^[a-z]+(\.[a-z0-9_]+)+$/.test(code)) problems.push(`${line}: code "${code}" must look like domain.topic.measure`);
    if (seen.has(code)) problems.push(`${line}: code ${code} appears twice`);
    seen.add(code);
    if (!DOMAINS.includes(domain as Domain)) problems.push(`${line}: domain "${domain}" is not one of ${DOMAINS.join(', ')}`);
    else if (!path.basename(file).startsWith(`${domain}.`)) problems.push(`${line}: a ${domain} indicator belongs in ${domain}.indicators.csv`);
    else if (!code.startsWith(`${domain}.`)) problems.push(`${line}: code ${code} must start with its domain ${domain}.`);
    if (!(UNITS as readonly string[]).includes(unit)) problems.push(`${line}: unit "${unit}" is not one of ${UNITS.join(', ')}`);
    if (!name) problems.push(`${line}: name is required`);
    return {
      code,
      domain: domain as Domain,
      name,
      unit: unit as `${Unit}`,
      denominator: denominator || null,
      description: description || null,
      headline: headline || null,
      position: 0,
    };
  });
}

/** Upserts the whole catalogue into the data source's schema (every subgraph serves it). */
export async function loadCatalogue(db: DataSource, catalogue: Catalogue): Promise<{ loaded: boolean; rows: number }> {
  const repo = new SeedRepository(db);
  if ((await repo.checksum('catalogue')) === catalogue.checksum) return { loaded: false, rows: catalogue.indicators.length };
  await repo.replaceSeed('catalogue', catalogue.checksum, (tx) => SeedRepository.upsertIndicators(tx, catalogue.indicators));
  return { loaded: true, rows: catalogue.indicators.length };
}
