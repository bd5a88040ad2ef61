import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { parse } from 'csv-parse/sync';
import type { DataSource } from 'typeorm';
import { DOMAINS, type Domain } from '../config';
import { UNITS, type IndicatorRecord } from '../observation/observation.record';
import { recordSeed, seedChecksum } from './registry';

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
      unit,
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
  if ((await seedChecksum(db, 'catalogue')) === catalogue.checksum) return { loaded: false, rows: catalogue.indicators.length };
  const col = <K extends keyof IndicatorRecord>(k: K) => catalogue.indicators.map((r) => r[k]);
  await db.transaction(async (tx) => {
    await tx.query(
      `INSERT INTO indicator (code, domain, name, unit, denominator_label, description, headline, position)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::int[])
       ON CONFLICT (code) DO UPDATE SET domain = excluded.domain, name = excluded.name, unit = excluded.unit,
         denominator_label = excluded.denominator_label, description = excluded.description,
         headline = excluded.headline, position = excluded.position`,
      [col('code'), col('domain'), col('name'), col('unit'), col('denominator'), col('description'), col('headline'), col('position')],
    );
    await recordSeed(tx, 'catalogue', catalogue.checksum);
  });
  return { loaded: true, rows: catalogue.indicators.length };
}
