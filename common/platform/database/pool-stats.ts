import type { Pool } from 'pg';
import type { DataSource } from 'typeorm';
import type { PoolStats } from '../server/metrics';

/** The pg pool behind a TypeORM data source, read at each metrics scrape (zeros once it is closed). */
export function poolStats(dataSource: DataSource): () => PoolStats {
  return () => {
    // TypeORM types its Postgres driver's pool as any; it is pg's Pool.
    const pool = (dataSource.driver as unknown as { master?: Pool }).master;
    return { total: pool?.totalCount ?? 0, idle: pool?.idleCount ?? 0, waiting: pool?.waitingCount ?? 0 };
  };
}
