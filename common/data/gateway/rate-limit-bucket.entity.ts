import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** Requests of one key in one minute, and their estimated query cost; every gateway replica upserts the same row, so the count is shared. */
@Entity({ name: 'rate_limit_bucket' })
@Index('rate_limit_bucket_window_idx', ['windowStart'])
export class RateLimitBucketEntity {
  @PrimaryColumn({ name: 'key_name', type: 'text', primaryKeyConstraintName: 'rate_limit_bucket_pkey' })
  keyName!: string;

  @PrimaryColumn({ name: 'window_start', type: 'timestamptz', primaryKeyConstraintName: 'rate_limit_bucket_pkey' })
  windowStart!: Date;

  @Column({ type: 'integer' })
  requests!: number;

  /** Sum of the estimated costs (common/platform/server/query-limits.ts) of those requests. */
  @Column({ type: 'bigint', default: 0 })
  cost!: string;
}
