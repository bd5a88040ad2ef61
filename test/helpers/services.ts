import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SCOPES } from '../../common/core/scopes';
import type { Domain } from '../../common/core/domain';
import { freePort } from './ports';
import { childEnv, spawnNode, type Spawned } from './processes';
import { TEST_API_KEY } from './stack';

/** A service as its own process (the compiled entry point `npm start` forks), on a free port, ready to answer. */
export interface ServiceProcess {
  proc: Spawned;
  port: number;
  url: string;
}

const READY_MS = 60_000;

/** One subgraph process on `databaseUrl` (already migrated), checking callers against `gatewaySecret`. */
export async function spawnSubgraph(
  domain: Domain,
  databaseUrl: string,
  gatewaySecret: string,
  extra: Record<string, string> = {},
): Promise<ServiceProcess> {
  const port = await freePort();
  const proc = spawnNode(
    `dist/subgraphs/${domain}/index.js`,
    [],
    childEnv({
      DATABASE_URL: databaseUrl,
      [`${domain.toUpperCase()}_PORT`]: String(port),
      GATEWAY_SECRET: gatewaySecret,
      MIGRATE_ON_START: 'false',
      LOG_FORMAT: 'json',
      LOG_LEVEL: 'info',
      ...extra,
    }),
  );
  await proc.waitFor(new RegExp(`"msg":"${domain} subgraph ready"`), READY_MS);
  return { proc, port, url: `http://127.0.0.1:${port}/graphql` };
}

/** The gateway process on `databaseUrl` in front of `subgraphUrls`, accepting TEST_API_KEY. */
export async function spawnGateway(
  databaseUrl: string,
  gatewaySecret: string,
  subgraphUrls: Record<Domain, string>,
  extra: Record<string, string> = {},
): Promise<ServiceProcess & { cleanup(): void }> {
  const port = await freePort();
  const keyDir = fs.mkdtempSync(path.join(os.tmpdir(), 'atlas-keys-'));
  const keyFile = path.join(keyDir, 'api-keys.json');
  fs.writeFileSync(keyFile, JSON.stringify([{ name: 'test-analyst', key: TEST_API_KEY, scopes: [...SCOPES] }]), { mode: 0o600 });
  const proc = spawnNode(
    'dist/gateway/index.js',
    [],
    childEnv({
      DATABASE_URL: databaseUrl,
      PORT: String(port),
      IDENTITY_URL: subgraphUrls.identity,
      FINANCE_URL: subgraphUrls.finance,
      INFRASTRUCTURE_URL: subgraphUrls.infrastructure,
      GATEWAY_SECRET: gatewaySecret,
      API_KEYS_FILE: keyFile,
      RATE_LIMIT_PER_MINUTE: '0',
      LOG_FORMAT: 'json',
      LOG_LEVEL: 'info',
      ...extra,
    }),
  );
  await proc.waitFor(/"msg":"gateway ready"/, READY_MS);
  return { proc, port, url: `http://127.0.0.1:${port}/graphql`, cleanup: () => fs.rmSync(keyDir, { recursive: true, force: true }) };
}

/** Kills what a failed test left running (a passing test has stopped it already). */
export function killLeftovers(services: Array<ServiceProcess | undefined>): void {
  for (const s of services) if (s && s.proc.child.exitCode === null && s.proc.child.signalCode === null) s.proc.child.kill('SIGKILL');
}
