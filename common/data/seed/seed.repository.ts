import type { DataSource } from 'typeorm';
import type { IndicatorRecord } from '../../core/observation/observation.record';
import type { RegistryRow } from './registry';

type Queryable = Pick<DataSource, 'query'>;

/** All SQL of the reference seeds (registry, catalogue, seed_state) of one domain schema. */
export class SeedRepository {
  constructor(private readonly db: DataSource) {}

  /** Checksum of the seed last loaded under `name`, if any. */
  async checksum(name: string): Promise<string | undefined> {
    const rows: Array<{ checksum: string }> = await this.db.query('SELECT checksum FROM seed_state WHERE name = $1', [name]);
    return rows[0]?.checksum;
  }

  /** Runs `write` and records the new checksum in one transaction. */
  async replaceSeed(name: string, checksum: string, write: (tx: Queryable) => Promise<void>): Promise<void> {
    await this.db.transaction(async (tx) => {
      await write(tx);
      await tx.query(
        `INSERT INTO seed_state (name, checksum) VALUES ($1, $2)
         ON CONFLICT (name) DO UPDATE SET checksum = excluded.checksum, loaded_at = now()`,
        [name, checksum],
      );
    });
  }

  static async upsertLocalities(tx: Queryable, rows: RegistryRow[]): Promise<void> {
    const col = <K extends keyof RegistryRow>(k: K) => rows.map((r) => r[k]);
    await tx.query(
      `INSERT INTO locality (code, name, name_ascii, level, depth, type, type_name, parent_code, ancestor_codes, search_key, name_key)
       SELECT code, name, name_ascii, level, depth, type, type_name, parent_code,
              CASE WHEN ancestors = '' THEN '{}'::text[] ELSE string_to_array(ancestors, ',') END, search_key, name_key
         FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::smallint[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[])
              AS t(code, name, name_ascii, level, depth, type, type_name, parent_code, ancestors, search_key, name_key)
       ON CONFLICT (code) DO UPDATE SET
         name = excluded.name, name_ascii = excluded.name_ascii, level = excluded.level, depth = excluded.depth,
         type = excluded.type, type_name = excluded.type_name, parent_code = excluded.parent_code,
         ancestor_codes = excluded.ancestor_codes, search_key = excluded.search_key, name_key = excluded.name_key`,
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
      ],
    );
  }

  static async upsertIndicators(tx: Queryable, indicators: IndicatorRecord[]): Promise<void> {
    const col = <K extends keyof IndicatorRecord>(k: K) => indicators.map((r) => r[k]);
    await tx.query(
      `INSERT INTO indicator (code, domain, name, unit, denominator_label, description, headline, position)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::int[])
       ON CONFLICT (code) DO UPDATE SET domain = excluded.domain, name = excluded.name, unit = excluded.unit,
         denominator_label = excluded.denominator_label, description = excluded.description,
         headline = excluded.headline, position = excluded.position`,
      [col('code'), col('domain'), col('name'), col('unit'), col('denominator'), col('description'), col('headline'), col('position')],
    );
  }
}
