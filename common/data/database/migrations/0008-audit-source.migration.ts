import type { MigrationInterface, QueryRunner } from 'typeorm';
import { schemaOf } from './0001-initial.migration';

/** Where an audit record was written: 'gateway' (every request) or '<domain> subgraph' (a direct call it refused). Gateway schema only. */
export class AuditSource1764000800000 implements MigrationInterface {
  name = 'AuditSource1764000800000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const s = `"${schemaOf(queryRunner)}"`;
    await queryRunner.query(`ALTER TABLE ${s}.audit_entry ADD COLUMN source text NOT NULL DEFAULT 'gateway'`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const s = `"${schemaOf(queryRunner)}"`;
    await queryRunner.query(`ALTER TABLE ${s}.audit_entry DROP COLUMN source`);
  }
}
