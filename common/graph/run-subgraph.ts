import { loadConfig } from '../platform/config';
import { connectDatabase, redactUrl } from '../platform/database/connect';
import { openDomainDatabase } from '../data/database/data-source';
import { createLogger } from '../platform/logger';
import type { SubgraphDefinition } from './build-subgraph-schema';
import { listen } from '../platform/server/http';
import { failStart, onShutdown } from '../platform/server/shutdown';
import { createSubgraphServer } from './subgraph-server';
import { resolveGatewaySecret } from '../platform/security/secret-file';
import { openSubgraphAudit } from '../data/gateway/subgraph-audit';

/** Process entry of one subgraph: config, database (migrated), server, listen, graceful stop. */
export async function runSubgraph(definition: SubgraphDefinition): Promise<void> {
  const log = createLogger(definition.name);
  try {
    const config = loadConfig();
    const database = await connectDatabase(config, log, { startEmbedded: false });
    const dataSource = await openDomainDatabase({
      url: database.url,
      schema: definition.name,
      poolSize: config.dbPoolSize,
      migrate: config.migrateOnStart,
      timeouts: config.dbTimeouts,
    });
    log.info({ database: redactUrl(database.url), schema: definition.name }, 'database ready');
    // Refused direct calls go to the gateway's audit trail (same database, the gateway's schema).
    const audit = await openSubgraphAudit({ url: database.url, applicationName: `atlas-${definition.name}-audit`, log, timeouts: config.dbTimeouts });
    const server = await createSubgraphServer({
      definition,
      dataSource,
      log,
      gatewaySecret: resolveGatewaySecret(config),
      readyTimeoutMs: config.readyTimeoutMs,
      metrics: config.metricsEnabled,
      audit: audit.writer,
    });
    const { port } = config.subgraphs[definition.name];
    const listening = await listen(server.app, port, config.host);
    log.info({ url: listening.url }, `${definition.name} subgraph ready`);
    process.send?.({ type: 'ready', service: definition.name, url: listening.url });
    onShutdown(log, async () => {
      await listening.close();
      await server.stop();
      await audit.close();
      await dataSource.destroy();
    });
  } catch (err) {
    failStart(`${definition.name} subgraph`, log, err);
  }
}
