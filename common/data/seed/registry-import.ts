import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { DOMAINS } from '../../core/domain';
import { LocalityLevel } from '../../core/locality/locality-level';
import { LinkConfidence, LinkRelation, type LocalityLinkRecord, type LocalityRecord } from '../../core/locality/locality.record';
import { createDataSource } from '../database/data-source';
import { readCsv, readRegistry, REGISTRY_VINTAGES, RegistryValidationError, type RegistryVintage } from './registry';
import { SeedRepository } from './seed.repository';

/** The unit list of a vintage directory, and its optional mapping from the units in force the day before. */
export const vintageUnitsFile = (vintage: string) => `admin-units-${vintage}.csv`;
export const vintageLinksFile = (vintage: string) => `links-${vintage}.csv`;
const LINK_COLUMNS = ['old_code', 'new_code', 'relation', 'verified_in_resolution'];
const RELATIONS: Record<string, LinkRelation> = { full: LinkRelation.FULL, partial: LinkRelation.PARTIAL };
const CONFIDENCE: Record<string, LinkConfidence> = { yes: LinkConfidence.HIGH, no: LinkConfidence.LOW, '': LinkConfidence.HIGH };
const TIER_ORDER = [LocalityLevel.PROVINCE, LocalityLevel.DISTRICT, LocalityLevel.COMMUNE];
const LEVEL_NAMES = new Set(['province', 'district', 'commune']);

export interface RegistryImportSummary {
  vintage: string;
  prefix: string;
  units: number;
  links: number;
  /** Units of the list in force before that now end the day before the vintage. */
  closed: number;
  /** Schemas written; none when the same files were already loaded (idempotent re-run). */
  written: string[];
  dryRun: boolean;
}

const dayBefore = (iso: string) => new Date(Date.parse(`${iso}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);

/** A valid calendar date in ISO form, or a message saying why not. */
export function checkVintage(vintage: string): string | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(vintage)) return `--vintage "${vintage}" is not an ISO date (YYYY-MM-DD)`;
  const parsed = new Date(`${vintage}T00:00:00Z`);
  if (Number.isNaN(parsed.getTime()) || parsed.toISOString().slice(0, 10) !== vintage) return `--vintage "${vintage}" is not a calendar date`;
  return null;
}

/** Which tiers a unit list uses, top down (a list without districts is two-tier, as since 1 July 2025). */
function tiersOf(file: string, name: string): LocalityLevel[] {
  const { records } = readCsv(file, name, ['level']);
  const present = new Set(records.map((r) => r.level).filter((l) => LEVEL_NAMES.has(l)));
  return TIER_ORDER.filter((t) => present.has(t.toLowerCase()));
}

function readLinks(
  file: string,
  name: string,
  before: ReadonlyMap<string, LocalityRecord>,
  after: ReadonlyMap<string, LocalityRecord>,
  prefix: string,
) {
  const { text, records } = readCsv(file, name, LINK_COLUMNS);
  const problems: string[] = [];
  const links = new Map<string, LocalityLinkRecord>();
  records.forEach((rec, i) => {
    const at = (column: string) => `${name}:${i + 2} [${column}]`;
    const old = before.get(rec.old_code);
    const successor = after.get(prefix + rec.new_code);
    const relation = RELATIONS[rec.relation];
    const confidence = CONFIDENCE[rec.verified_in_resolution ?? ''];
    if (!old) problems.push(`${at('old_code')}: ${rec.old_code} is not the GSO code of a unit in force the day before this list`);
    if (!successor) problems.push(`${at('new_code')}: ${rec.new_code} is not a unit of this list`);
    if (!relation) problems.push(`${at('relation')}: relation "${rec.relation}" is not full or partial`);
    if (!confidence) problems.push(`${at('verified_in_resolution')}: "${rec.verified_in_resolution}" is not yes, no or empty`);
    if (!old || !successor || !relation || !confidence) return;
    const key = `${old.code}>${successor.code}`;
    if (links.has(key)) problems.push(`${at('new_code')}: ${rec.old_code} → ${rec.new_code} appears twice`);
    links.set(key, { predecessorCode: old.code, successorCode: successor.code, relation, confidence });
  });
  if (problems.length) throw new RegistryValidationError(problems);
  return { links: [...links.values()], text };
}

/**
 * Loads a later GSO list (`DIR/admin-units-VINTAGE.csv`, optionally `DIR/links-VINTAGE.csv`) as a new vintage of the
 * registry in every domain schema, in ONE transaction: the files are validated first (every problem as
 * `file:line [column]`, nothing written), the units in force the day before end then, the new units are keyed
 * `YEAR:` + GSO code (or `YYYYMMDD:` when the year's prefix is taken), and the seed_state checksum makes a re-run a no-op.
 */
export async function importRegistryVintage(
  url: string,
  dir: string,
  vintage: string,
  options: { dryRun?: boolean; displayDir?: string } = {},
): Promise<RegistryImportSummary> {
  const bad = checkVintage(vintage);
  if (bad) throw new RegistryValidationError([bad]);
  if (REGISTRY_VINTAGES.some((v) => v.validFrom === vintage)) {
    throw new RegistryValidationError([`--vintage ${vintage}: this list is one of the seeds (seeds/), loaded by npm start and npm run seed`]);
  }
  const unitsFile = path.join(dir, vintageUnitsFile(vintage));
  const linksFile = path.join(dir, vintageLinksFile(vintage));
  const shown = (f: string) => path.join(options.displayDir ?? dir, f);
  if (!fs.existsSync(unitsFile))
    throw new RegistryValidationError([`${shown(vintageUnitsFile(vintage))}: no such file (the unit list of this vintage)`]);

  const db = createDataSource({ url, schema: DOMAINS[0], poolSize: 1, applicationName: 'atlas-registry-import' });
  await db.initialize();
  const runner = db.createQueryRunner();
  await runner.connect();
  try {
    await runner.startTransaction();
    const tx = runner.manager;
    // One import at a time, and never beside a migration or seed of the same database.
    await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', ['atlas-registry-import']);
    const open = await SeedRepository.openVintages(tx);
    const later = open.find((v) => v.validFrom != null && v.validFrom > vintage);
    if (later)
      throw new RegistryValidationError([`--vintage ${vintage}: the list of ${later.validFrom} is already loaded; vintages load in date order`]);
    const year = vintage.slice(0, 4);
    const prefix = (await SeedRepository.prefixTaken(tx, `${year}:`, vintage)) ? `${vintage.replaceAll('-', '')}:` : `${year}:`;
    const spec: RegistryVintage = {
      file: vintageUnitsFile(vintage),
      prefix,
      validFrom: vintage,
      validTo: null,
      tiers: tiersOf(unitsFile, shown(vintageUnitsFile(vintage))),
    };
    const registry = readRegistry(unitsFile, spec, shown(vintageUnitsFile(vintage)));
    const rows = registry.rows.slice(1); // the country root is not part of a vintage
    const before = new Map<string, LocalityRecord>();
    for (const u of await SeedRepository.unitsInForce(tx, dayBefore(vintage))) if (!u.code.startsWith(prefix)) before.set(u.gsoCode, u);
    const linked = fs.existsSync(linksFile)
      ? readLinks(linksFile, shown(vintageLinksFile(vintage)), before, new Map(rows.map((r) => [r.code, r])), prefix)
      : { links: [], text: '' };
    const checksum = createHash('sha256').update(registry.checksum).update(linked.text).update('registry-import-v1').digest('hex');
    const seedName = `registry:${vintage}`;
    const summary: RegistryImportSummary = {
      vintage,
      prefix,
      units: rows.length,
      links: linked.links.length,
      closed: 0,
      written: [],
      dryRun: options.dryRun ?? false,
    };
    for (const domain of DOMAINS) {
      await tx.query(`SET LOCAL search_path TO "${domain}"`);
      if ((await SeedRepository.seedChecksum(tx, seedName)) === checksum) continue;
      summary.closed = await SeedRepository.closeOpenUnits(tx, prefix, dayBefore(vintage));
      await SeedRepository.upsertLocalities(tx, rows);
      await SeedRepository.replaceLinks(
        tx,
        linked.links,
        rows.map((r) => r.code),
      );
      await SeedRepository.recordSeed(tx, seedName, checksum);
      summary.written.push(domain);
    }
    if (options.dryRun) await runner.rollbackTransaction();
    else await runner.commitTransaction();
    return summary;
  } catch (err) {
    if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
    throw err;
  } finally {
    await runner.release().catch(() => undefined);
    await db.destroy().catch(() => undefined);
  }
}
