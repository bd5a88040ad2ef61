import 'reflect-metadata';
import path from 'node:path';
import { DOMAINS } from '../common/core/domain';
import { loadConfig, type Config } from '../common/platform/config';
import { existingDatabase, redactUrl } from '../common/platform/database/connect';
import { findRunningCluster } from '../common/platform/database/embedded';
import { createLogger } from '../common/platform/logger';
import { prepareDatabase, seedAll } from '../common/data/seed/seed';
import { createKeyFileIfMissing, defaultKeyFile } from '../common/platform/security/api-keys';
import { resolveGatewaySecret } from '../common/platform/security/secret-file';
import { SupervisedService, type RestartPolicy } from './supervisor';

const log = createLogger('start');
const children: SupervisedService[] = [];
let stopping = false;

const EXAMPLE_QUERY = `{ localities(search: "son la", first: 5) { totalCount nodes { code name level parent { name }
  identity { activatedEidAccounts { value qualifier } }
  finance { transactionAccountRate { value indicator { denominator } } }
  infrastructure { baseStations { value } } } } }`;

/** Forks one service under supervision and resolves once it reports ready; a failed first start stops everything. */
async function startChild(
  name: string,
  script: string,
  env: NodeJS.ProcessEnv,
  impact: string,
  policy: RestartPolicy,
  beforeRestart?: () => Promise<void>,
): Promise<{ url: string }> {
  const service = new SupervisedService({ name, script, env, impact, beforeRestart }, policy, log);
  children.push(service);
  try {
    return await service.start();
  } catch (err) {
    if (!stopping) void shutdown(`${name} failed to start`, 1);
    throw err;
  }
}

/** Stops the gateway, then the subgraphs, then Postgres: reverse start order, each waited for. */
async function shutdown(reason: string, code: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  log.info({ reason }, 'stopping');
  const lost = children.filter((s) => s.givenUp).map((s) => s.name);
  let clean = true;
  for (const service of [...children].reverse()) clean = (await service.stop()) && clean;
  // Written synchronously: the process exits right after.
  if (lost.length) process.stderr.write(`npm start stopped with ${lost.join(', ')} given up on after repeated crashes\n`);
  // A child that had to be killed, failed its own shutdown or was given up on makes the stop a failure, not a silent success.
  process.exit(clean && !lost.length ? code : 1);
}

/** `name pid` of every child, in start order, for the banner: what to look for if one is ever left behind. */
function processList(): string {
  return [`start ${process.pid}`, ...children.map((s) => `${s.name} ${s.pid}`)].join(', ');
}

async function resolveDatabase(config: Config, policy: RestartPolicy): Promise<string> {
  const existing = await existingDatabase(config, log);
  if (existing) return existing.url;
  const impact = 'the database is down: every subgraph answers database errors until it is back';
  const { url } = await startChild('postgres', path.join(__dirname, 'postgres.js'), process.env, impact, policy, () => stopOrphanPostgres(config));
  return url;
}

/**
 * The Postgres child killed hard leaves its postmaster running, owned by nobody: stop it (fast shutdown) before the
 * restart, so the new child owns the cluster and Ctrl-C stops it again. A postmaster that died on its own needs nothing.
 */
async function stopOrphanPostgres(config: Config): Promise<void> {
  const orphan = findRunningCluster(config.dataDir);
  if (!orphan) return;
  log.warn({ pid: orphan.pid }, `stopping the Postgres (postmaster pid ${orphan.pid}) the dead postgres child left running, to start it again`);
  process.kill(orphan.pid, 'SIGINT');
  const deadline = Date.now() + 30_000;
  while (findRunningCluster(config.dataDir)) {
    if (Date.now() > deadline) throw new Error(`Postgres (postmaster pid ${orphan.pid}) did not stop within 30 s`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function restartPolicy(config: Config): RestartPolicy {
  return { backoffMs: config.restartBackoffMs, maxBackoffMs: 30_000, limit: config.restartLimit, windowMs: config.restartWindowMs };
}

async function main(): Promise<void> {
  const config = loadConfig();
  // `on`, not `once`: under `npm start`, Ctrl-C arrives twice (the terminal's and npm's forwarded
  // copy); a second signal must not kill us halfway through the ordered shutdown.
  process.on('SIGINT', () => void shutdown('SIGINT', 0));
  process.on('SIGTERM', () => void shutdown('SIGTERM', 0));

  const policy = restartPolicy(config);
  const url = await resolveDatabase(config, policy);
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
  await Promise.all(
    DOMAINS.map((d) =>
      startChild(
        d,
        path.join(__dirname, '..', 'subgraphs', d, 'index.js'),
        env,
        `${d} fields are null (with an error naming ${d}) until it is back`,
        policy,
      ),
    ),
  );
  // The gateway migrates its own schema (rate limits, audit); the seed above migrated the domain schemas.
  const gatewayImpact = 'the graph is unreachable until it is back';
  const gateway = await startChild(
    'gateway',
    path.join(__dirname, '..', 'gateway', 'index.js'),
    { ...env, MIGRATE_ON_START: 'true' },
    gatewayImpact,
    policy,
  );
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

  A service that crashes is restarted (backoff from ${policy.backoffMs} ms; given up after ${policy.limit} crashes in ${policy.windowMs / 1000} s).
  Ctrl-C stops everything.
`);
}

main().catch((err) => {
  log.fatal({ err }, 'start failed');
  process.stderr.write(`npm start failed: ${err instanceof Error ? err.message : String(err)}\n`);
  void shutdown('start failed', 1);
});
