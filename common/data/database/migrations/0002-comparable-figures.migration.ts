import type { MigrationInterface, QueryRunner } from 'typeorm';
import { schemaOf } from './0001-initial.migration';

const QUALIFIERS = `('EXACT', 'APPROXIMATE', 'AT_LEAST', 'AT_MOST')`;

/**
 * Comparable figures (issue 9): ratio parts keep their own wording, a figure can cover only part of its unit
 * (and is then a different figure from the unit's own: the natural key includes the part), and a source title
 * we wrote ourselves says so.
 */
export class ComparableFigures1764000200000 implements MigrationInterface {
  name = 'ComparableFigures1764000200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const s = `"${schemaOf(queryRunner)}"`;
    await queryRunner.query(`
      ALTER TABLE ${s}.observation
        ADD COLUMN numerator_qualifier text CONSTRAINT observation_numerator_qualifier_check
          CHECK (numerator_qualifier IS NULL OR (numerator_qualifier IN ${QUALIFIERS} AND numerator IS NOT NULL)),
        ADD COLUMN denominator_qualifier text CONSTRAINT observation_denominator_qualifier_check
          CHECK (denominator_qualifier IS NULL OR (denominator_qualifier IN ${QUALIFIERS} AND denominator IS NOT NULL)),
        ADD COLUMN part_of_unit text CONSTRAINT observation_part_of_unit_check CHECK (part_of_unit <> '')`);
    await queryRunner.query(`ALTER TABLE ${s}.observation DROP CONSTRAINT observation_natural_key`);
    await queryRunner.query(`
      ALTER TABLE ${s}.observation ADD CONSTRAINT observation_natural_key
        UNIQUE NULLS NOT DISTINCT (locality_code, indicator_code, period_start, period_end, source_id, part_of_unit)`);
    await queryRunner.query(`ALTER TABLE ${s}.source ADD COLUMN title_supplied boolean NOT NULL DEFAULT false`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const s = `"${schemaOf(queryRunner)}"`;
    await queryRunner.query(`ALTER TABLE ${s}.source DROP COLUMN title_supplied`);
    await queryRunner.query(`ALTER TABLE ${s}.observation DROP CONSTRAINT observation_natural_key`);
    await queryRunner.query(`
      ALTER TABLE ${s}.observation ADD CONSTRAINT observation_natural_key
        UNIQUE NULLS NOT DISTINCT (locality_code, indicator_code, period_start, period_end, source_id)`);
    await queryRunner.query(
      `ALTER TABLE ${s}.observation DROP COLUMN numerator_qualifier, DROP COLUMN denominator_qualifier, DROP COLUMN part_of_unit`,
    );
  }
}
