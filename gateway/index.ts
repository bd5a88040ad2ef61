import '../common/platform/telemetry-register';
import { loadConfig } from '../common/platform/config';
import { connectDatabase, redactUrl } from '../common/platform/database/connect';
import { openGatewayDatabase } from '../common/data/gateway/gateway-database';
import { createLogger } from '../common/platform/logger';
import { defaultKeyFile, loadKeyRing } from '../common/platform/security/api-keys';
import { resolveGatewaySecret } from '../common/platform/security/secret-file';
import { listen } from '../common/platform/server/http';
import { failStart, onShutdown } from '../common/platform/server/shutdown';
import { createGatewayServer } from './server';
import { readSupergraph } from './supergraph';

async function main(): Promise<void> {
  const log = createLogger('gateway');
  try {
    const config = loadConfig();
    readSupergraph(config.supergraphPath); // the most common start-up mistake is named before anything else is tried
    const keys = loadKeyRing(config.apiKeysFile ?? defaultKeyFile(config.dataDir));
    const database = await connectDatabase(config, log, { startEmbedded: false });
    const dataSource = await openGatewayDatabase({
      url: database.url,
      poolSize: config.dbPoolSize,
      migrate: config.migrateOnStart,
      timeouts: config.dbTimeouts,
    });
    log.info({ database: redactUrl(database.url), keys: keys.size }, 'gateway database and keys ready');
    const gateway = await createGatewayServer(config, log, { keys, gatewaySecret: resolveGatewaySecret(config), dataSource });
    const listening = await listen(gateway.app, config.gatewayPort, config.host);
    log.info({ url: listening.url }, 'gateway ready');
    process.send?.({ type: 'ready', service: 'gateway', url: listening.url });
    onShutdown(log, async () => {
      await listening.close();
      await gateway.stop();
      await dataSource.destroy();
    });
  } catch (err) {
    failStart('gateway', log, err);
  }
}

void main();
