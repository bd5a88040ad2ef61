import type { MigrationInterface, QueryRunner } from 'typeorm';
import { schemaOf } from './0001-initial.migration';

/**
 * The 2025 reform: every locality gets its official GSO code (codes are reused across the reform, so the key
 * `code` of a post-reform unit carries its vintage) and its validity; `locality_link` holds old → new edges.
 */
export class RegistryVintages1764000300000 implements MigrationInterface {
  name = 'RegistryVintages1764000300000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const s = `"${schemaOf(queryRunner)}"`;
    await queryRunner.query(`ALTER TABLE ${s}.locality ADD COLUMN gso_code text, ADD COLUMN valid_from date, ADD COLUMN valid_to date`);
    // Rows loaded before this migration are all pre-reform units, keyed by their GSO code; the next seed sets their validity.
    await queryRunner.query(`UPDATE ${s}.locality SET gso_code = code`);
    await queryRunner.query(`ALTER TABLE ${s}.locality ALTER COLUMN gso_code SET NOT NULL`);
    await queryRunner.query(
      `ALTER TABLE ${s}.locality ADD CONSTRAINT locality_validity_check CHECK (valid_from IS NULL OR valid_to IS NULL OR valid_from <= valid_to)`,
    );
    await queryRunner.query(`CREATE INDEX locality_gso_code_idx ON ${s}.locality (gso_code)`);
    await queryRunner.query(`
      CREATE TABLE ${s}.locality_link (
        predecessor_code text NOT NULL REFERENCES ${s}.locality (code) ON DELETE CASCADE,
        successor_code text NOT NULL REFERENCES ${s}.locality (code) ON DELETE CASCADE,
        relation text NOT NULL CHECK (relation IN ('FULL', 'PARTIAL')),
        confidence text NOT NULL CHECK (confidence IN ('HIGH', 'LOW')),
        CONSTRAINT locality_link_pkey PRIMARY KEY (predecessor_code, successor_code)
      )`);
    await queryRunner.query(`CREATE INDEX locality_link_successor_code_idx ON ${s}.locality_link (successor_code)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const s = `"${schemaOf(queryRunner)}"`;
    await queryRunner.query(`DROP TABLE ${s}.locality_link`);
    // Post-reform rows cannot stay without their vintage column: they go with it.
    await queryRunner.query(`DELETE FROM ${s}.locality WHERE code <> gso_code`);
    await queryRunner.query(`DROP INDEX ${s}.locality_gso_code_idx`);
    await queryRunner.query(
      `ALTER TABLE ${s}.locality DROP CONSTRAINT locality_validity_check, DROP COLUMN gso_code, DROP COLUMN valid_from, DROP COLUMN valid_to`,
    );
  }
}
