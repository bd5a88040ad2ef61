import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DOMAINS, type Domain } from '../../common/core/domain';
import { SCOPES } from '../../common/core/scopes';
import type { ApiKeyEntry } from '../../common/platform/security/api-keys';
import { newSecret } from '../../common/platform/security/gateway-signature';
import { freePort } from './ports';
import { childEnv, spawnNode, type Spawned } from './processes';
import { TEST_API_KEY } from './stack';
import { within } from './wait';

const START_MS = 90_000;
const STOP_MS = 30_000;

/** The compiled subgraphs and gateway(s) as separate processes (as `npm start` and a deployment run them), for fault tests. */
export interface ProcessStack {
  /** One URL per gateway replica, in start order. */
  gatewayUrls: string[];
  subgraphUrls: Record<Domain, string>;
  /** Ends one subgraph's process (SIGKILL by default: a crash, not a shutdown) and waits until it is gone. */
  kill(domain: Domain, signal?: NodeJS.Signals): Promise<void>;
  /** Starts that subgraph again on the same port. */
  restart(domain: Domain): Promise<void>;
  /** The pid of each running service (`identity`…, `gateway-0`…). */
  pids(): Record<string, number>;
  /** True while every process started (and not killed) is still running. */
  running(): boolean;
  /** Each service's output so far (for failure messages). */
  output(): string;
  stop(): Promise<void>;
}

export interface ProcessStackOptions {
  gateways?: number;
  /** Extra variables for every service (e.g. NODE_ENV, RATE_LIMIT_PER_MINUTE). */
  env?: Record<string, string>;
  keys?: ApiKeyEntry[];
}

export async function startProcessStack(databaseUrl: string, options: ProcessStackOptions = {}): Promise<ProcessStack> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'atlas-processes-'));
  const keyFile = path.join(dir, 'api-keys.json');
  fs.writeFileSync(keyFile, JSON.stringify([{ name: 'test-analyst', key: TEST_API_KEY, scopes: [...SCOPES] }, ...(options.keys ?? [])]), {
    mode: 0o600,
  });
  const ports = Object.fromEntries(await Promise.all(DOMAINS.map(async (d) => [d, await freePort()] as const))) as Record<Domain, number>;
  const subgraphUrls = Object.fromEntries(DOMAINS.map((d) => [d, `http://127.0.0.1:${ports[d]}/graphql`])) as Record<Domain, string>;
  const base = {
    LOG_LEVEL: 'info',
    LOG_FORMAT: 'json',
    DATABASE_URL: databaseUrl,
    GATEWAY_SECRET: newSecret(),
    DB_POOL_SIZE: '3',
    READY_TIMEOUT_MS: '5000',
    API_KEYS_FILE: keyFile,
    ...Object.fromEntries(DOMAINS.map((d) => [`${d.toUpperCase()}_URL`, subgraphUrls[d]])),
    ...options.env,
  };
  const subgraphs: Partial<Record<Domain, Spawned>> = {};
  const gateways: Spawned[] = [];
  const gatewayUrls: string[] = [];

  const startSubgraph = async (d: Domain) => {
    const s = spawnNode(
      `dist/subgraphs/${d}/index.js`,
      [],
      childEnv({ ...base, [`${d.toUpperCase()}_PORT`]: String(ports[d]), MIGRATE_ON_START: 'false' }),
    );
    subgraphs[d] = s;
    await s.waitFor(/subgraph ready/, START_MS);
  };
  const end = async (s: Spawned | undefined, signal: NodeJS.Signals) => {
    if (!s || s.child.exitCode !== null || s.child.signalCode !== null) return;
    s.child.kill(signal);
    await within(s.exited(), STOP_MS, 'a test service to stop', () => s.output()).catch(async () => {
      s.child.kill('SIGKILL');
      await s.exited();
    });
  };
  const output = () =>
    [
      ...DOMAINS.map((d) => `--- ${d}\n${subgraphs[d]?.output().slice(-2000) ?? ''}`),
      ...gateways.map((g, i) => `--- gateway ${i}\n${g.output().slice(-2000)}`),
    ].join('\n');
  const stop = async () => {
    await Promise.all(gateways.map((g) => end(g, 'SIGTERM')));
    await Promise.all(DOMAINS.map((d) => end(subgraphs[d], 'SIGTERM')));
    fs.rmSync(dir, { recursive: true, force: true });
  };

  try {
    await Promise.all(DOMAINS.map(startSubgraph));
    for (let i = 0; i < (options.gateways ?? 1); i++) {
      const port = await freePort();
      // Replicas share one gateway schema: the first migrates it, the others find it done (an advisory lock makes that safe either way).
      const g = spawnNode('dist/gateway/index.js', [], childEnv({ ...base, PORT: String(port), MIGRATE_ON_START: 'true' }));
      gateways.push(g);
      await g.waitFor(/gateway ready/, START_MS);
      gatewayUrls.push(`http://127.0.0.1:${port}/graphql`);
    }
  } catch (err) {
    await stop();
    throw err;
  }
  const alive = (s: Spawned | undefined) => s !== undefined && s.child.exitCode === null && s.child.signalCode === null;
  return {
    pids: () =>
      Object.fromEntries([
        ...DOMAINS.filter((d) => alive(subgraphs[d])).map((d) => [d, subgraphs[d]!.child.pid!]),
        ...gateways.filter(alive).map((g, i) => [`gateway-${i}`, g.child.pid!]),
      ]) as Record<string, number>,
    running: () => DOMAINS.every((d) => alive(subgraphs[d])) && gateways.every(alive),
    gatewayUrls,
    subgraphUrls,
    kill: (d, signal = 'SIGKILL') => end(subgraphs[d], signal),
    restart: startSubgraph,
    output,
    stop,
  };
}
