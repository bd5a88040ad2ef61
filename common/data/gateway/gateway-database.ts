import type { DataSource } from 'typeorm';
import type { DatabaseTimeouts } from '../../platform/database/faults';
import { createDataSource, migrate } from '../database/data-source';
import { Gateway1764000400000 } from '../database/migrations/0004-gateway.migration';
import { RateLimitCost1764000600000 } from '../database/migrations/0006-rate-limit-cost.migration';
import { AuditSource1764000800000 } from '../database/migrations/0008-audit-source.migration';
import { AuditEntryEntity } from './audit-entry.entity';
import { RateLimitBucketEntity } from './rate-limit-bucket.entity';

/** The gateway's schema: no domain data, only its counters and its audit trail. */
export const GATEWAY_SCHEMA = 'gateway';
export const GATEWAY_TABLES = {
  entities: [RateLimitBucketEntity, AuditEntryEntity],
  migrations: [Gateway1764000400000, RateLimitCost1764000600000, AuditSource1764000800000],
};

export function createGatewayDataSource(options: {
  url: string;
  poolSize?: number;
  applicationName?: string;
  timeouts?: DatabaseTimeouts;
}): DataSource {
  return createDataSource({
    ...options,
    schema: GATEWAY_SCHEMA,
    tables: GATEWAY_TABLES,
    applicationName: options.applicationName ?? 'atlas-gateway',
  });
}

/** Opens (and when asked, migrates) the gateway schema. */
export async function openGatewayDatabase(options: {
  url: string;
  poolSize?: number;
  migrate?: boolean;
  applicationName?: string;
  timeouts?: DatabaseTimeouts;
}): Promise<DataSource> {
  const dataSource = createGatewayDataSource(options);
  await dataSource.initialize();
  if (options.migrate) await migrate(dataSource);
  return dataSource;
}
