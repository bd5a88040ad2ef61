import type { Config } from '../config';
import type { Logger } from '../logger';
import { borrowedCluster, embeddedUrl, startEmbeddedCluster, usableRunningCluster, type EmbeddedCluster } from './embedded';

/** The database already there, if any: DATABASE_URL, or the embedded cluster running on DATA_DIR. */
export async function existingDatabase(config: Config, log: Logger): Promise<EmbeddedCluster | undefined> {
  if (config.databaseUrl) return borrowedCluster(config.databaseUrl);
  const running = await usableRunningCluster(config.dataDir, log);
  return running && borrowedCluster(embeddedUrl(running.port), running.port);
}

/**
 * Where the database is, for any process: the existing one (so CLIs work beside `npm start`);
 * else, if allowed, a cluster started here, which this process stops when done.
 */
export async function connectDatabase(config: Config, log: Logger, opts: { startEmbedded: boolean }): Promise<EmbeddedCluster> {
  const existing = await existingDatabase(config, log);
  if (existing) return existing;
  if (!opts.startEmbedded) {
    throw new Error(
      `DATABASE_URL is not set and no embedded Postgres is running on DATA_DIR=${config.dataDir}: run \`npm start\`, or set DATABASE_URL`,
    );
  }
  return startEmbeddedCluster(config.dataDir, config.embeddedPostgresPort, log, 'cli');
}

/** Hides the password when a URL is logged. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(unparseable URL)';
  }
}
