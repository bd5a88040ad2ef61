import type { Config } from '../config';
import type { Logger } from '../logger';
import { embeddedUrl, startEmbeddedCluster, usableRunningCluster, type EmbeddedCluster } from './embedded';

/**
 * Where the database is, for any process: DATABASE_URL if set; else the embedded cluster already
 * running on DATA_DIR (so CLIs work beside `npm start`); else, if allowed, a cluster started here.
 */
export async function connectDatabase(config: Config, log: Logger, opts: { startEmbedded: boolean }): Promise<EmbeddedCluster> {
  if (config.databaseUrl) {
    return { url: config.databaseUrl, port: 0, owned: false, stop: async () => {} };
  }
  const running = await usableRunningCluster(config.dataDir, log);
  if (running) return { url: embeddedUrl(running.port), port: running.port, owned: false, stop: async () => {} };
  if (!opts.startEmbedded) {
    throw new Error(
      `DATABASE_URL is not set and no embedded Postgres is running on DATA_DIR=${config.dataDir}: run \`npm start\`, or set DATABASE_URL`,
    );
  }
  // Started here (a CLI with nothing running): this process stops it when done.
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
