import type { MigrationInterface, QueryRunner } from 'typeorm';
import { schemaOf } from './0001-initial.migration';

/**
 * Indexes for the hot queries at national scale (docs/performance.md, "Hot queries and indexes"): each one was
 * a sequential scan of millions of rows in EXPLAIN (ANALYZE) on the `npm run seed:scale` data.
 */
export class HotQueryIndexes1764000700000 implements MigrationInterface {
  name = 'HotQueryIndexes1764000700000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const s = `"${schemaOf(queryRunner)}"`;
    // The import's read-model refresh and the removal of a source's figures select observations by source.
    await queryRunner.query(`CREATE INDEX observation_source_id_idx ON ${s}.observation (source_id)`);
    // ON DELETE CASCADE from observation looks the read-model row up by observation_id, once per deleted figure.
    await queryRunner.query(`CREATE INDEX latest_observation_observation_id_idx ON ${s}.latest_observation (observation_id)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const s = `"${schemaOf(queryRunner)}"`;
    await queryRunner.query(`DROP INDEX ${s}.latest_observation_observation_id_idx`);
    await queryRunner.query(`DROP INDEX ${s}.observation_source_id_idx`);
  }
}
