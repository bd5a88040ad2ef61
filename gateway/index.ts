import { loadConfig } from '../common/platform/config';
import { createLogger } from '../common/platform/logger';
import { listen } from '../common/platform/server/http';
import { failStart, onShutdown } from '../common/platform/server/shutdown';
import { createGatewayServer } from './server';

async function main(): Promise<void> {
  const log = createLogger('gateway');
  try {
    const config = loadConfig();
    const gateway = await createGatewayServer(config, log);
    const listening = await listen(gateway.app, config.gatewayPort, config.host);
    log.info({ url: listening.url }, 'gateway ready');
    process.send?.({ type: 'ready', service: 'gateway', url: listening.url });
    onShutdown(log, async () => {
      await listening.close();
      await gateway.stop();
    });
  } catch (err) {
    failStart('gateway', log, err);
  }
}

void main();
