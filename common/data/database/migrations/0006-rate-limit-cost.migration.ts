import type { MigrationInterface, QueryRunner } from 'typeorm';
import { schemaOf } from './0001-initial.migration';

/**
 * The gateway's second budget per key and minute: estimated query cost, counted beside the requests; and the index of
 * Query.auditLog's pages of one key, newest first (gateway schema only).
 */
export class RateLimitCost1764000600000 implements MigrationInterface {
  name = 'RateLimitCost1764000600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const s = `"${schemaOf(queryRunner)}"`;
    await queryRunner.query(`ALTER TABLE ${s}.rate_limit_bucket ADD COLUMN cost bigint NOT NULL DEFAULT 0`);
    await queryRunner.query(`CREATE INDEX audit_entry_key_id_idx ON ${s}.audit_entry (key_name, id)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const s = `"${schemaOf(queryRunner)}"`;
    await queryRunner.query(`DROP INDEX ${s}.audit_entry_key_id_idx`);
    await queryRunner.query(`ALTER TABLE ${s}.rate_limit_bucket DROP COLUMN cost`);
  }
}
