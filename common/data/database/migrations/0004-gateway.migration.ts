import type { MigrationInterface, QueryRunner } from 'typeorm';
import { schemaOf } from './0001-initial.migration';

/** The gateway's own schema: shared rate-limit counters and the audit trail (not run on domain schemas). */
export class Gateway1764000400000 implements MigrationInterface {
  name = 'Gateway1764000400000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const s = `"${schemaOf(queryRunner)}"`;
    await queryRunner.query(`
      CREATE TABLE ${s}.rate_limit_bucket (
        key_name text NOT NULL,
        window_start timestamptz NOT NULL,
        requests integer NOT NULL,
        CONSTRAINT rate_limit_bucket_pkey PRIMARY KEY (key_name, window_start)
      )`);
    await queryRunner.query(`CREATE INDEX rate_limit_bucket_window_idx ON ${s}.rate_limit_bucket (window_start)`);
    await queryRunner.query(`
      CREATE TABLE ${s}.audit_entry (
        id bigserial PRIMARY KEY,
        at timestamptz NOT NULL,
        request_id text NOT NULL,
        key_name text,
        operation_name text,
        domains text[] NOT NULL,
        duration_ms integer NOT NULL,
        status smallint NOT NULL,
        error_codes text[] NOT NULL
      )`);
    await queryRunner.query(`CREATE INDEX audit_entry_at_idx ON ${s}.audit_entry (at)`);
    await queryRunner.query(`CREATE INDEX audit_entry_key_at_idx ON ${s}.audit_entry (key_name, at)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const s = `"${schemaOf(queryRunner)}"`;
    await queryRunner.query(`DROP TABLE ${s}.audit_entry`);
    await queryRunner.query(`DROP TABLE ${s}.rate_limit_bucket`);
  }
}
