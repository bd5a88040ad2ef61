import { loadConfig } from '../common/config';
import { createLogger } from '../common/logger';
import { listen } from '../common/server/http';
import { failStart, onShutdown } from '../common/server/shutdown';
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
