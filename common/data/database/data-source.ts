import { DataSource, MigrationExecutor } from 'typeorm';
import type { Domain } from '../../core/domain';
import type { DatabaseTimeouts } from '../../platform/database/faults';
import { LocalityLinkEntity } from '../locality/locality-link.entity';
import { LocalityEntity } from '../locality/locality.entity';
import { IndicatorEntity } from '../observation/indicator.entity';
import { ObservationEntity } from '../observation/observation.entity';
import { SourceEntity } from '../observation/source.entity';
import { SeedStateEntity } from '../seed/seed-state.entity';
import { ComparableFigures1764000200000 } from './migrations/0002-comparable-figures.migration';
import { Initial1732406400000 } from './migrations/0001-initial.migration';
import { RegistryVintages1764000300000 } from './migrations/0003-registry-vintages.migration';
import { LatestObservation1764000500000 } from './migrations/0005-latest-observation.migration';
import { HotQueryIndexes1764000700000 } from './migrations/0007-hot-query-indexes.migration';
import { LatestObservationEntity } from '../ranking/latest-observation.entity';

/** Every table of a domain schema; typeorm-schema.test.ts proves they match what MIGRATIONS build. */
export const ENTITIES = [
  LocalityEntity,
  IndicatorEntity,
  SourceEntity,
  ObservationEntity,
  SeedStateEntity,
  LocalityLinkEntity,
  LatestObservationEntity,
];
export const MIGRATIONS = [
  Initial1732406400000,
  ComparableFigures1764000200000,
  RegistryVintages1764000300000,
  LatestObservation1764000500000,
  HotQueryIndexes1764000700000,
];

export interface DataSourceOptions {
  url: string;
  /** A domain schema, or the gateway's (common/data/gateway/gateway-database.ts). */
  schema: Domain | 'gateway';
  poolSize?: number;
  applicationName?: string;
  /** Tables and migrations of a schema that is not a domain's; default: ENTITIES and MIGRATIONS. */
  tables?: { entities: Array<new () => object>; migrations: Array<new () => object> };
  /** A server's bounds (connection wait, statement time); unset, as for seeds and imports: 10 s to connect, no statement limit. */
  timeouts?: DatabaseTimeouts;
}

/**
 * One data source per domain schema. `search_path` is pinned to the schema so the repositories'
 * raw SQL never names it, and a service can only reach its own tables by default.
 */
export function createDataSource(options: DataSourceOptions): DataSource {
  return new DataSource({
    type: 'postgres',
    url: options.url,
    schema: options.schema,
    entities: options.tables?.entities ?? ENTITIES,
    migrations: options.tables?.migrations ?? MIGRATIONS,
    migrationsTableName: 'migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    logging: false,
    applicationName: options.applicationName ?? `atlas-${options.schema}`,
    extra: {
      max: options.poolSize ?? 10,
      options: `-c search_path=${options.schema}`,
      connectionTimeoutMillis: options.timeouts?.connectTimeoutMs ?? 10000,
      ...(options.timeouts && {
        statement_timeout: options.timeouts.statementTimeoutMs,
        // The driver's own bound, for a server that stops answering without closing the socket.
        query_timeout: options.timeouts.statementTimeoutMs + 1000,
      }),
    },
  });
}

/**
 * Creates the schema and runs pending migrations, under an advisory lock so concurrent starters
 * (several replicas, `npm start` beside `npm run import`) migrate once.
 */
export async function migrate(dataSource: DataSource): Promise<string[]> {
  const schema = (dataSource.options as { schema: string }).schema;
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock(hashtext($1))', [`atlas-migrate-${schema}`]);
    await runner.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
    // On the connection holding the lock: no second pool connection needed, so a pool of one cannot deadlock.
    const executor = new MigrationExecutor(dataSource, runner);
    executor.transaction = 'each';
    const applied = await executor.executePendingMigrations();
    return applied.map((m) => m.name);
  } finally {
    await runner.query('SELECT pg_advisory_unlock(hashtext($1))', [`atlas-migrate-${schema}`]).catch(() => undefined);
    await runner.release();
  }
}

/** Opens a data source for a domain schema, migrating it first when asked. */
export async function openDomainDatabase(options: DataSourceOptions & { migrate?: boolean }): Promise<DataSource> {
  const dataSource = createDataSource(options);
  await dataSource.initialize();
  if (options.migrate) await migrate(dataSource);
  return dataSource;
}
