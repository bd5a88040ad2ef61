import 'reflect-metadata';
import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { DOMAINS } from '../common/core/domain';
import { loadConfig, type Config } from '../common/platform/config';
import { existingDatabase, redactUrl } from '../common/platform/database/connect';
import { createLogger } from '../common/platform/logger';
import { prepareDatabase, seedAll } from '../common/data/seed/seed';
import { createKeyFileIfMissing, defaultKeyFile } from '../common/platform/security/api-keys';
import { resolveGatewaySecret } from '../common/platform/security/secret-file';

const log = createLogger('start');
const children: Array<{ name: string; child: ChildProcess }> = [];
let stopping = false;

const EXAMPLE_QUERY = `{ localities(search: "son la", first: 5) { totalCount nodes { code name level parent { name }
  identity { activatedEidAccounts { value qualifier } }
  finance { transactionAccountRate { value indicator { denominator } } }
  infrastructure { baseStations { value } } } } }`;

/** Forks one service and resolves with its IPC 'ready' message; rejects if it exits first or takes too long. */
function startChild(name: string, script: string, env: NodeJS.ProcessEnv, timeoutMs = 120_000): Promise<{ url: string }> {
  // detached: Ctrl-C reaches only this orchestrator, which then stops the children in order.
  const child = fork(script, [], { env, detached: true, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  children.push({ name, child });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} did not become ready within ${timeoutMs / 1000} s`)), timeoutMs);
    child.on('message', (msg: { type?: string; url?: string }) => {
      if (msg?.type === 'ready') {
        clearTimeout(timer);
        resolve({ url: msg.url ?? '' });
      }
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited during start-up (${signal ?? `code ${code}`})`));
      if (!stopping) void shutdown(`${name} exited`, 1);
    });
  });
}

/** Stops one child: SIGTERM, then SIGKILL after 15 s. Resolves true only if it exited by itself with code 0. */
function stopChild(entry: { name: string; child: ChildProcess }): Promise<boolean> {
  const { name, child } = entry;
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode === 0);
  return new Promise((resolve) => {
    const kill = setTimeout(() => {
      log.error({ pid: child.pid }, `${name} (pid ${child.pid}) did not stop within 15 s: sending SIGKILL`);
      child.kill('SIGKILL');
    }, 15_000);
    child.once('exit', (code, signal) => {
      clearTimeout(kill);
      const clean = code === 0 && signal === null;
      if (clean) log.info({ pid: child.pid }, `${name} stopped`);
      else log.error({ pid: child.pid, code, signal }, `${name} (pid ${child.pid}) did not stop cleanly (${signal ?? `code ${code}`})`);
      resolve(clean);
    });
    child.kill('SIGTERM');
  });
}

/** Stops the gateway, then the subgraphs, then Postgres: reverse start order, each waited for. */
async function shutdown(reason: string, code: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  log.info({ reason }, 'stopping');
  let clean = true;
  for (const entry of [...children].reverse()) clean = (await stopChild(entry)) && clean;
  // A child that had to be killed (or failed its own shutdown) makes the stop a failure, not a silent success.
  process.exit(clean ? code : 1);
}

/** `name pid` of every child, in start order, for the banner: what to look for if one is ever left behind. */
function processList(): string {
  return [`start ${process.pid}`, ...children.map(({ name, child }) => `${name} ${child.pid}`)].join(', ');
}

async function resolveDatabase(config: Config): Promise<string> {
  const existing = await existingDatabase(config, log);
  if (existing) return existing.url;
  const { url } = await startChild('postgres', path.join(__dirname, 'postgres.js'), process.env);
  return url;
}

async function main(): Promise<void> {
  const config = loadConfig();
  // `on`, not `once`: under `npm start`, Ctrl-C arrives twice (the terminal's and npm's forwarded
  // copy); a second signal must not kill us halfway through the ordered shutdown.
  process.on('SIGINT', () => void shutdown('SIGINT', 0));
  process.on('SIGTERM', () => void shutdown('SIGTERM', 0));

  const url = await resolveDatabase(config);
  log.info({ database: redactUrl(url) }, 'database reachable');
  if (config.seedOnStart) {
    const seeded = await seedAll(url, config.seedsDir, log);
    console.log(`seed figures: ${seeded.inserted} inserted, ${seeded.updated} updated, ${seeded.unchanged} unchanged`);
  } else {
    await prepareDatabase(url, config.seedsDir, log);
  }

  // No API_KEYS_FILE: a key file in DATA_DIR with one all-scopes key, created once (0600) and printed below.
  const keyFile = config.apiKeysFile ?? defaultKeyFile(config.dataDir);
  const createdKey = config.apiKeysFile ? undefined : createKeyFileIfMissing(keyFile);
  // One secret for the gateway and the subgraphs it signs for (GATEWAY_SECRET, or the data dir's).
  const env = { ...process.env, DATABASE_URL: url, MIGRATE_ON_START: 'false', GATEWAY_SECRET: resolveGatewaySecret(config) };
  await Promise.all(DOMAINS.map((d) => startChild(d, path.join(__dirname, '..', 'subgraphs', d, 'index.js'), env)));
  // The gateway migrates its own schema (rate limits, audit); the seed above migrated the domain schemas.
  const gateway = await startChild('gateway', path.join(__dirname, '..', 'gateway', 'index.js'), { ...env, MIGRATE_ON_START: 'true' });
  const keyLine = createdKey
    ? `API key:  ${createdKey}   (all scopes; written to ${keyFile}, mode 0600)`
    : `API keys: ${keyFile}   (add partners there, then restart; README "Partner keys")`;
  const exampleKey = createdKey ?? '<your key>';

  console.log(`
  Vietnam digital-society atlas is running.

    Open:     ${gateway.url.replace(/\/graphql$/, '/')}   (dashboard; explorer at ${gateway.url.replace(/\/graphql$/, '/explorer')} outside production)
    GraphQL:  ${gateway.url}
    Health:   ${gateway.url.replace(/\/graphql$/, '/health')}   Ready: ${gateway.url.replace(/\/graphql$/, '/ready')}
    Data:     ${config.databaseUrl ? redactUrl(url) : `embedded Postgres in ${config.dataDir}`}
    PIDs:     ${processList()}
    ${keyLine}

  Try:
    curl -s ${gateway.url} -H 'content-type: application/json' -H 'authorization: Bearer ${exampleKey}' \\
      -d '${JSON.stringify({ query: EXAMPLE_QUERY.replace(/\s+/g, ' ') })}'

  Ctrl-C stops everything.
`);
}

main().catch((err) => {
  log.fatal({ err }, 'start failed');
  process.stderr.write(`npm start failed: ${err instanceof Error ? err.message : String(err)}\n`);
  void shutdown('start failed', 1);
});
