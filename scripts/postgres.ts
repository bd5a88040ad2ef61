import { loadConfig } from '../common/platform/config';
import { startEmbeddedCluster } from '../common/platform/database/embedded';
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
    onShutdown(log, () => cluster.stop());
  } catch (err) {
    failStart('postgres', log, err);
  }
}

void main();
