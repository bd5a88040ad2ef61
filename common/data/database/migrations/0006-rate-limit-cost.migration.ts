import type { MigrationInterface, QueryRunner } from 'typeorm';
import { schemaOf } from './0001-initial.migration';

/** The gateway's second budget per key and minute: estimated query cost, counted beside the requests (gateway schema only). */
export class RateLimitCost1764000600000 implements MigrationInterface {
  name = 'RateLimitCost1764000600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "${schemaOf(queryRunner)}".rate_limit_bucket ADD COLUMN cost bigint NOT NULL DEFAULT 0`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "${schemaOf(queryRunner)}".rate_limit_bucket DROP COLUMN cost`);
  }
}
