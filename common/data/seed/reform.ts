import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { LocalityLevel } from '../../core/locality/locality-level';
import { LinkConfidence, LinkRelation, type LocalityLinkRecord, type LocalityRecord } from '../../core/locality/locality.record';
import { RegistryValidationError } from './registry-error';

export const REFORM_PROVINCES_FILE = 'reform-2025-provinces.csv';
export const REFORM_COMMUNES_FILE = 'reform-2025-communes.csv';
/** Codes of the units in force from 1 July 2025 carry this vintage (the GSO reused the old codes). */
export const REFORM_PREFIX = '2025:';

const PROVINCE_HEADER = 'old_province_code,old_province_name,new_province_code,new_province_name,new_province_type,status';
const COMMUNE_HEADER = 'old_code,old_name,old_level,old_district_code,old_province_code,new_commune_code,new_commune_name,new_province_code';
const STATUSES = ['unchanged', 'merged_into', 'merged_code_retained'];
const RELATIONS: Record<string, LinkRelation> = { full: LinkRelation.FULL, partial: LinkRelation.PARTIAL };
const CONFIDENCE: Record<string, LinkConfidence> = { yes: LinkConfidence.HIGH, no: LinkConfidence.LOW };

/**
 * Reads the 2025 reform mappings (old province → new province, old commune or island district → new commune)
 * against the registry rows, naming the file and line of every bad row. A province passes wholly into its new
 * province (resolution 60-NQ/TW), so province links are FULL and HIGH.
 */
export function readReform(seedsDir: string, units: ReadonlyMap<string, LocalityRecord>): { links: LocalityLinkRecord[]; checksum: string } {
  const hash = createHash('sha256');
  const problems: string[] = [];
  const links = new Map<string, LocalityLinkRecord>();
  const read = (file: string, header: string) => {
    const text = fs.readFileSync(path.join(seedsDir, file), 'utf8');
    hash.update(text);
    if (!text.startsWith(header)) problems.push(`${file}:1: header must start with ${header}`);
    const rows: Record<string, string>[] = parse(text, { columns: true, skip_empty_lines: true, trim: true });
    return rows;
  };
  const unit = (where: string, column: string, code: string, levels: LocalityLevel[], what: string) => {
    const found = units.get(code);
    if (!found || !levels.includes(found.level))
      problems.push(`${where} [${column}]: ${what} ${code} is not a ${levels.join(' or ').toLowerCase()} of its registry`);
    return found;
  };
  const add = (where: string, link: LocalityLinkRecord) => {
    const key = `${link.predecessorCode}>${link.successorCode}`;
    if (links.has(key)) problems.push(`${where}: ${link.predecessorCode} → ${link.successorCode} appears twice`);
    links.set(key, link);
  };

  read(REFORM_PROVINCES_FILE, PROVINCE_HEADER).forEach((rec, i) => {
    const where = `${REFORM_PROVINCES_FILE}:${i + 2}`;
    if (!STATUSES.includes(rec.status)) problems.push(`${where} [status]: status "${rec.status}" is not one of ${STATUSES.join(', ')}`);
    unit(where, 'old_province_code', rec.old_province_code, [LocalityLevel.PROVINCE], 'old province');
    unit(where, 'new_province_code', REFORM_PREFIX + rec.new_province_code, [LocalityLevel.PROVINCE], 'new province');
    const predecessorCode = rec.old_province_code;
    add(where, {
      predecessorCode,
      successorCode: REFORM_PREFIX + rec.new_province_code,
      relation: LinkRelation.FULL,
      confidence: LinkConfidence.HIGH,
    });
  });

  read(REFORM_COMMUNES_FILE, COMMUNE_HEADER).forEach((rec, i) => {
    const where = `${REFORM_COMMUNES_FILE}:${i + 2}`;
    const relation = RELATIONS[rec.relation];
    const confidence = CONFIDENCE[rec.verified_in_resolution];
    if (!relation) problems.push(`${where} [relation]: relation "${rec.relation}" is not full or partial`);
    if (!confidence) problems.push(`${where} [verified_in_resolution]: verified_in_resolution "${rec.verified_in_resolution}" is not yes or no`);
    // Five island districts without communes became special zones: they map like communes.
    unit(where, 'old_code', rec.old_code, [LocalityLevel.COMMUNE, LocalityLevel.DISTRICT], 'old unit');
    const successor = unit(where, 'new_commune_code', REFORM_PREFIX + rec.new_commune_code, [LocalityLevel.COMMUNE], 'new commune');
    if (successor && successor.parentCode !== REFORM_PREFIX + rec.new_province_code) {
      problems.push(`${where} [new_province_code]: new commune ${rec.new_commune_code} is not in new province ${rec.new_province_code}`);
    }
    if (relation && confidence)
      add(where, { predecessorCode: rec.old_code, successorCode: REFORM_PREFIX + rec.new_commune_code, relation, confidence });
  });

  if (problems.length) throw new RegistryValidationError(problems);
  return { links: [...links.values()], checksum: hash.update('reform-v1').digest('hex') };
}
