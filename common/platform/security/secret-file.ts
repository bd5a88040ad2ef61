import fs from 'node:fs';
import path from 'node:path';
import { newSecret } from './gateway-signature';

/** Where a data dir keeps its generated gateway secret. */
export const secretFile = (dataDir: string) => path.join(dataDir, 'gateway-secret');

/**
 * GATEWAY_SECRET if set; else the data dir's generated one, created (mode 0600) by whoever comes first:
 * `wx` makes the creation atomic, so a gateway and subgraphs starting together agree on one secret.
 */
export function resolveGatewaySecret(config: { gatewaySecret?: string; dataDir: string }): string {
  if (config.gatewaySecret) return config.gatewaySecret;
  const file = secretFile(config.dataDir);
  fs.mkdirSync(config.dataDir, { recursive: true });
  try {
    fs.writeFileSync(file, `${newSecret()}\n`, { flag: 'wx', mode: 0o600 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  const secret = fs.readFileSync(file, 'utf8').trim();
  if (secret.length < 32) throw new Error(`${file} holds no usable secret (under 32 characters): delete it or set GATEWAY_SECRET`);
  return secret;
}
