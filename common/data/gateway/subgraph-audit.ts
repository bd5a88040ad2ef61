import type { DatabaseTimeouts } from '../../platform/database/faults';
import type { Logger } from '../../platform/logger';
import { AuditWriter } from './audit-writer';
import { openGatewayDatabase } from './gateway-database';
import { GatewayRepository } from './gateway.repository';

export interface SubgraphAudit {
  writer: AuditWriter;
  /** Writes what is buffered, then closes the connection. */
  close(): Promise<void>;
}

/**
 * A subgraph's audit of the direct calls it refuses: the gateway's writer and table, over one connection to the
 * gateway schema. Never migrated here (the gateway owns the schema): started before the gateway has migrated, or
 * alone, each batch fails, is logged and dropped. No retention here either: the gateway's prunes every row.
 */
export async function openSubgraphAudit(options: {
  url: string;
  applicationName: string;
  log: Logger;
  timeouts?: DatabaseTimeouts;
}): Promise<SubgraphAudit> {
  const dataSource = await openGatewayDatabase({
    url: options.url,
    poolSize: 1,
    applicationName: options.applicationName,
    timeouts: options.timeouts,
  });
  const writer = new AuditWriter(new GatewayRepository(dataSource), options.log, {});
  return {
    writer,
    close: async () => {
      await writer.stop();
      await dataSource.destroy();
    },
  };
}
