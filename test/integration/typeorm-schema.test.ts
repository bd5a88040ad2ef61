import type { DataSource } from 'typeorm';
import { DOMAINS, type Domain } from '../../common/core/domain';
import { createDataSource, migrate, MIGRATIONS, openDomainDatabase } from '../../common/data/database/data-source';
import { IndicatorEntity } from '../../common/data/observation/indicator.entity';
import { loadCatalogue, readCatalogue } from '../../common/data/seed/catalogue';
import { SeedStateEntity } from '../../common/data/seed/seed-state.entity';
import { createEmptyDatabase, createTestDatabase, withClient } from '../helpers/database';

/** What `typeorm migration:generate` would write for this data source: the SQL that would make the tables match the entities. */
async function pendingSchemaChanges(db: DataSource): Promise<string[]> {
  const sql = await db.driver.createSchemaBuilder().log();
  return sql.upQueries.map((q) => q.query);
}

async function withDomain<T>(url: string, schema: Domain, fn: (db: DataSource) => Promise<T>): Promise<T> {
  const db = createDataSource({ url, schema, poolSize: 1, applicationName: 'atlas-typeorm-schema-test' });
  await db.initialize();
  try {
    return await fn(db);
  } finally {
    await db.destroy();
  }
}

describe('TypeORM entities and the migrated schema', () => {
  let seeded: string;
  beforeAll(async () => {
    seeded = await createTestDatabase('typeorm_schema');
  });

  it.each(DOMAINS)('the %s schema, migrated and seeded, is exactly what the entities describe', async (schema) => {
    expect(await withDomain(seeded, schema, pendingSchemaChanges)).toEqual([]);
  });

  it('keeps the natural keys NULLS NOT DISTINCT, which TypeORM cannot compare', async () => {
    const rows = await withClient(
      seeded,
      async (c) =>
        (
          await c.query(
            `SELECT n.nspname AS schema, con.conname AS name, i.indnullsnotdistinct AS nulls_not_distinct
             FROM pg_constraint con JOIN pg_namespace n ON n.oid = con.connamespace JOIN pg_index i ON i.indexrelid = con.conindid
            WHERE con.contype = 'u' AND n.nspname = ANY($1) ORDER BY 1, 2`,
            [DOMAINS],
          )
        ).rows,
    );
    const expected = [...DOMAINS]
      .sort()
      .flatMap((schema) => ['observation_natural_key', 'source_title_url_key'].map((name) => ({ schema, name, nulls_not_distinct: true })));
    expect(rows).toEqual(expected);
  });

  describe('on a scratch database', () => {
    let scratch: string;
    beforeAll(async () => {
      scratch = await createEmptyDatabase('typeorm_drift');
    });

    it('migrates a schema once when two starters race, each on a pool of one connection', async () => {
      const starters = [0, 1].map(() => createDataSource({ url: scratch, schema: 'identity', poolSize: 1 }));
      await Promise.all(starters.map((db) => db.initialize()));
      try {
        const applied = await Promise.all(starters.map((db) => migrate(db)));
        expect(applied.flat()).toEqual(MIGRATIONS.map((m) => m.name));
        expect(await Promise.all(starters.map(pendingSchemaChanges))).toEqual([[], []]);
      } finally {
        await Promise.all(starters.map((db) => db.destroy()));
      }
    });

    it('reports a deliberate difference: a dropped index, a dropped check, a loosened column', async () => {
      const db = await openDomainDatabase({ url: scratch, schema: 'finance', poolSize: 1, migrate: true });
      try {
        expect(await pendingSchemaChanges(db)).toEqual([]);
        // Unqualified names: search_path is pinned to the data source's schema.
        await db.query('DROP INDEX locality_ancestor_codes_idx');
        await db.query('ALTER TABLE observation DROP CONSTRAINT observation_parts_check');
        await db.query('ALTER TABLE seed_state ALTER COLUMN checksum DROP NOT NULL');
        const changes = await pendingSchemaChanges(db);
        expect(changes).toEqual(
          expect.arrayContaining([
            expect.stringMatching(/^CREATE INDEX "locality_ancestor_codes_idx" ON "finance"\."locality" USING gin/),
            expect.stringMatching(/ADD CONSTRAINT "observation_parts_check" CHECK/),
            expect.stringMatching(/^ALTER TABLE "finance"\."seed_state" ALTER COLUMN "checksum" SET NOT NULL/),
          ]),
        );
        expect(changes).toHaveLength(3);
      } finally {
        await db.destroy();
      }
    });

    it('the seed repository reads and upserts through the entities: a changed catalogue replaces rows and its checksum', async () => {
      const db = await openDomainDatabase({ url: scratch, schema: 'infrastructure', poolSize: 1, migrate: true });
      try {
        const catalogue = readCatalogue();
        expect(await loadCatalogue(db, catalogue)).toEqual({ loaded: true, rows: catalogue.indicators.length });
        expect(await loadCatalogue(db, catalogue)).toEqual({ loaded: false, rows: catalogue.indicators.length });
        const [first] = catalogue.indicators;
        const changed = {
          checksum: 'changed',
          indicators: catalogue.indicators.map((i) => (i === first ? { ...i, name: 'Renamed', denominator: null } : i)),
        };
        expect((await loadCatalogue(db, changed)).loaded).toBe(true);
        expect(await db.getRepository(IndicatorEntity).findOneByOrFail({ code: first.code })).toMatchObject({
          name: 'Renamed',
          denominatorLabel: null,
          position: first.position,
        });
        expect(await db.getRepository(IndicatorEntity).count()).toBe(catalogue.indicators.length);
        expect(await db.getRepository(SeedStateEntity).find()).toEqual([{ name: 'catalogue', checksum: 'changed', loadedAt: expect.any(Date) }]);
      } finally {
        await db.destroy();
      }
    });
  });
});
