import type { DataSource, EntityManager } from 'typeorm';
import type { LocalityLinkRecord, LocalityRecord } from '../../core/locality/locality.record';
import { COLUMNS } from '../locality/locality.repository';
import type { IndicatorRecord } from '../../core/observation/observation.record';
import type { LocalityEntity } from '../locality/locality.entity';
import { IndicatorEntity } from '../observation/indicator.entity';
import { SeedStateEntity } from './seed-state.entity';

/** A registry row as stored: the columns of `locality`, without the relation. */
export type LocalityRow = Omit<LocalityEntity, 'parent'>;

/** Reads and writes of the reference seeds (registry, catalogue, seed_state) of one domain schema. */
export class SeedRepository {
  constructor(private readonly db: DataSource) {}

  /** Checksum of the seed last loaded under `name`, if any. */
  async checksum(name: string): Promise<string | undefined> {
    const state = await this.db.getRepository(SeedStateEntity).findOne({ select: { checksum: true }, where: { name } });
    return state?.checksum;
  }

  /** Runs `write` and records the new checksum in one transaction. */
  async replaceSeed(name: string, checksum: string, write: (tx: EntityManager) => Promise<void>): Promise<void> {
    await this.db.transaction(async (tx) => {
      await write(tx);
      await tx.getRepository(SeedStateEntity).upsert({ name, checksum, loadedAt: () => 'now()' }, ['name']);
    });
  }

  static async upsertLocalities(tx: EntityManager, rows: LocalityRow[]): Promise<void> {
    const col = <K extends keyof LocalityRow>(k: K) => rows.map((r) => r[k]);
    // Set-based on purpose: 10,807 rows as 11 array parameters in one statement (0.6 s); an entity upsert needs
    // 118,877 bind parameters, over Postgres' 65,535, so chunks of 5,000: measured 1.7-3.1 s.
    await tx.query(
      `INSERT INTO locality (code, name, name_ascii, level, depth, type, type_name, parent_code, ancestor_codes, search_key, name_key,
                            gso_code, valid_from, valid_to)
       SELECT code, name, name_ascii, level, depth, type, type_name, parent_code,
              CASE WHEN ancestors = '' THEN '{}'::text[] ELSE string_to_array(ancestors, ',') END, search_key, name_key,
              gso_code, valid_from, valid_to
         FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::smallint[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[],
                     $12::text[], $13::date[], $14::date[])
              AS t(code, name, name_ascii, level, depth, type, type_name, parent_code, ancestors, search_key, name_key, gso_code, valid_from, valid_to)
       ON CONFLICT (code) DO UPDATE SET
         name = excluded.name, name_ascii = excluded.name_ascii, level = excluded.level, depth = excluded.depth,
         type = excluded.type, type_name = excluded.type_name, parent_code = excluded.parent_code,
         ancestor_codes = excluded.ancestor_codes, search_key = excluded.search_key, name_key = excluded.name_key,
         gso_code = excluded.gso_code, valid_from = excluded.valid_from,
         -- a unit closed by a later vintage (npm run import:registry) stays closed when its own list is loaded again
         valid_to = coalesce(excluded.valid_to, locality.valid_to)`,
      [
        col('code'),
        col('name'),
        col('nameAscii'),
        col('level'),
        col('depth'),
        col('type'),
        col('typeName'),
        col('parentCode'),
        rows.map((r) => r.ancestorCodes.join(',')),
        col('searchKey'),
        col('nameKey'),
        col('gsoCode'),
        col('validFrom'),
        col('validTo'),
      ],
    );
  }

  /**
   * Links into these successors are derived whole from their mapping files: replaced, not merged (10,667 rows, one
   * statement). Links into other units (a vintage loaded by `npm run import:registry`) stay.
   */
  static async replaceLinks(tx: EntityManager, links: LocalityLinkRecord[], successorCodes: readonly string[]): Promise<void> {
    await tx.query('DELETE FROM locality_link WHERE successor_code = ANY($1::text[])', [successorCodes]);
    if (links.length === 0) return;
    await tx.query(
      `INSERT INTO locality_link (predecessor_code, successor_code, relation, confidence)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[])`,
      [links.map((l) => l.predecessorCode), links.map((l) => l.successorCode), links.map((l) => l.relation), links.map((l) => l.confidence)],
    );
  }

  /** The GSO code, key, level and validity of every unit in force on `date` (the country excluded). */
  static async unitsInForce(tx: EntityManager, date: string): Promise<LocalityRecord[]> {
    return tx.query(
      `SELECT ${COLUMNS} FROM locality
        WHERE level <> 'COUNTRY' AND (valid_from IS NULL OR valid_from <= $1::date) AND (valid_to IS NULL OR valid_to >= $1::date)`,
      [date],
    );
  }

  /** The start dates of the vintages still open (valid_to null), latest first. */
  static async openVintages(tx: EntityManager): Promise<Array<{ validFrom: string | null; prefix: string }>> {
    return tx.query(
      `SELECT DISTINCT to_char(valid_from, 'YYYY-MM-DD') AS "validFrom", substring(code FROM '^[0-9]+:') AS prefix FROM locality
        WHERE level <> 'COUNTRY' AND valid_to IS NULL ORDER BY 1 DESC NULLS LAST`,
    );
  }

  /** Whether some unit outside the vintage starting `validFrom` already has a key with this prefix. */
  static async prefixTaken(tx: EntityManager, prefix: string, validFrom: string): Promise<boolean> {
    const rows: unknown[] = await tx.query(`SELECT 1 FROM locality WHERE starts_with(code, $1) AND valid_from IS DISTINCT FROM $2::date LIMIT 1`, [
      prefix,
      validFrom,
    ]);
    return rows.length > 0;
  }

  /** Ends every open unit keyed outside `prefix` on `validTo`: a new GSO list replaces the one in force. */
  static async closeOpenUnits(tx: EntityManager, prefix: string, validTo: string): Promise<number> {
    // Counted in a SELECT: TypeORM answers an UPDATE with [rows, affected], not the rows alone.
    const rows: Array<{ n: number }> = await tx.query(
      `WITH closed AS (UPDATE locality SET valid_to = $2::date
                        WHERE level <> 'COUNTRY' AND valid_to IS NULL AND NOT starts_with(code, $1) RETURNING 1)
       SELECT count(*)::int AS n FROM closed`,
      [prefix, validTo],
    );
    return rows[0].n;
  }

  /** Checksum and load of a seed, read and written on the transaction's own search_path (one schema of several). */
  static async seedChecksum(tx: EntityManager, name: string): Promise<string | undefined> {
    const rows: Array<{ checksum: string }> = await tx.query('SELECT checksum FROM seed_state WHERE name = $1', [name]);
    return rows[0]?.checksum;
  }

  static async recordSeed(tx: EntityManager, name: string, checksum: string): Promise<void> {
    await tx.query(
      `INSERT INTO seed_state (name, checksum, loaded_at) VALUES ($1, $2, now())
       ON CONFLICT (name) DO UPDATE SET checksum = excluded.checksum, loaded_at = now()`,
      [name, checksum],
    );
  }

  /** The catalogue is small (68 rows): one entity upsert. */
  static async upsertIndicators(tx: EntityManager, indicators: IndicatorRecord[]): Promise<void> {
    await tx.getRepository(IndicatorEntity).upsert(
      indicators.map(({ denominator, ...rest }) => ({ ...rest, denominatorLabel: denominator })),
      ['code'],
    );
  }
}
