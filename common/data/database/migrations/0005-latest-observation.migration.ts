import type { MigrationInterface, QueryRunner } from 'typeorm';
import { schemaOf } from './0001-initial.migration';
import { LATEST_ORDER } from '../../ranking/latest-order';

/**
 * The ranking read model (docs/queries.md, "Ranking and filtering across domains"): one row per (locality, indicator)
 * holding the figure `observations(latest: true)` serves. The import keeps it current in its own transaction.
 */
export class LatestObservation1764000500000 implements MigrationInterface {
  name = 'LatestObservation1764000500000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const s = `"${schemaOf(queryRunner)}"`;
    await queryRunner.query(`
      CREATE TABLE ${s}.latest_observation (
        locality_code text NOT NULL,
        indicator_code text NOT NULL,
        observation_id bigint NOT NULL REFERENCES ${s}.observation (id) ON DELETE CASCADE,
        value numeric NOT NULL,
        qualifier text NOT NULL,
        period_start date,
        period_end date,
        period_label text,
        CONSTRAINT latest_observation_pkey PRIMARY KEY (locality_code, indicator_code)
      )`);
    // The ranking reads one indicator's values in order; the filters probe the primary key.
    await queryRunner.query(`CREATE INDEX latest_observation_indicator_value_idx ON ${s}.latest_observation (indicator_code, value)`);
    // Databases migrated before 0005 already hold figures: fill the read model from them.
    await queryRunner.query(`
      INSERT INTO ${s}.latest_observation (locality_code, indicator_code, observation_id, value, qualifier, period_start, period_end, period_label)
      SELECT DISTINCT ON (o.locality_code, o.indicator_code)
             o.locality_code, o.indicator_code, o.id, o.value, o.qualifier, o.period_start, o.period_end, o.period_label
        FROM ${s}.observation o JOIN ${s}.source s ON s.id = o.source_id
       WHERE o.part_of_unit IS NULL -- a figure for part of a unit is never the unit's value (migration 0002)
       ORDER BY o.locality_code, o.indicator_code, ${LATEST_ORDER}`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "${schemaOf(queryRunner)}".latest_observation`);
  }
}
