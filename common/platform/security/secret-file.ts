import fs from 'node:fs';
import path from 'node:path';
import { newSecret } from './gateway-signature';

/** Where a data dir keeps its generated gateway secret. */
export const secretFile = (dataDir: string) => path.join(dataDir, 'gateway-secret');

/**
 * GATEWAY_SECRET if set; else the data dir's generated one, created (mode 0600) by whoever comes first,
 * atomically, so a gateway and subgraphs starting together agree on one secret.
 */
export function resolveGatewaySecret(config: { gatewaySecret?: string; dataDir: string }): string {
  if (config.gatewaySecret) return config.gatewaySecret;
  const file = secretFile(config.dataDir);
  fs.mkdirSync(config.dataDir, { recursive: true });
  // Written whole under a temporary name, then linked: a reader never sees a half-written file, and link fails if one exists.
  const temporary = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, `${newSecret()}\n`, { mode: 0o600 });
  try {
    fs.linkSync(temporary, file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  } finally {
    fs.rmSync(temporary, { force: true });
  }
  const secret = fs.readFileSync(file, 'utf8').trim();
  if (secret.length < 32) throw new Error(`${file} holds no usable secret (under 32 characters): delete it or set GATEWAY_SECRET`);
  return secret;
}
