import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startEmbeddedCluster, type EmbeddedCluster } from '../../common/platform/database/embedded';
import { freePort } from '../../common/platform/server/http';
import { withClient } from '../../test/helpers/database';
import { log } from './config';

/** What the run holds, so cleanup (after success, an error, the deadline or a signal) can release it. */
export const held: {
  tempDir?: string;
  cluster?: EmbeddedCluster;
  throwaway?: { adminUrl: string; name: string };
  stack?: { stop(): Promise<void> };
  phase: string;
  /** Set once the run is being torn down: running phases stop and report nothing more. */
  aborting: boolean;
} = { phase: 'starting', aborting: false };

/** Waits at most `ms` for a cleanup step, so one stuck step cannot keep the run from ending. */
function capped<T>(promise: Promise<T>, ms: number, what: string): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<undefined>((resolve) => {
      timer = setTimeout(() => {
        console.error(`  (cleanup: ${what} did not finish within ${ms} ms, moving on)`);
        resolve(undefined);
      }, ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

async function dropDatabase(adminUrl: string, name: string): Promise<void> {
  try {
    await withClient(adminUrl, async (c) => {
      try {
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } catch {
        // Postgres < 13: no FORCE
        await c.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [name]);
        await c.query(`DROP DATABASE IF EXISTS ${name}`);
      }
    });
  } catch (err) {
    console.error(`  (cleanup: could not drop database ${name}: ${(err as Error).message})`);
  }
}

let cleaning: Promise<void> | undefined;

/** Idempotent: stops the stack, drops the throwaway database, stops Postgres, removes the temp dir. */
export function cleanup(): Promise<void> {
  cleaning ??= (async () => {
    const { stack, throwaway, cluster, tempDir } = held;
    held.stack = held.throwaway = held.cluster = held.tempDir = undefined;
    if (stack)
      await capped(
        stack.stop().catch((err) => console.error(`  (cleanup: stopping the stack: ${(err as Error).message})`)),
        5_000,
        'stopping the stack',
      );
    if (throwaway) await capped(dropDatabase(throwaway.adminUrl, throwaway.name), 10_000, `dropping database ${throwaway.name}`);
    if (cluster)
      await capped(
        cluster.stop().catch((err) => console.error(`  (cleanup: stopping Postgres: ${(err as Error).message})`)),
        10_000,
        'stopping Postgres',
      );
    if (tempDir) {
      try {
        fs.rmSync(tempDir, { recursive: true, force: true });
      } catch (err) {
        console.error(`  (cleanup: could not remove ${tempDir}: ${(err as Error).message})`);
      }
    }
  })();
  return cleaning;
}

/** A throwaway database on DATABASE_URL, else an embedded Postgres in a temp dir; returns its URL. */
export async function openDatabase(): Promise<string> {
  const external = process.env.DATABASE_URL?.trim();
  if (external) {
    const name = `atlas_bench_${randomBytes(4).toString('hex')}`;
    await withClient(external, (c) => c.query(`CREATE DATABASE ${name}`));
    held.throwaway = { adminUrl: external, name };
    const u = new URL(external);
    u.pathname = `/${name}`;
    return u.toString();
  }
  held.tempDir = fs.mkdtempSync(path.join(os.tmpdir(), 'atlas-bench-'));
  fs.chmodSync(held.tempDir, 0o755); // as root, Postgres runs as user postgres and must reach its data dir
  held.cluster = await startEmbeddedCluster(held.tempDir, await freePort(), log);
  return held.cluster.url;
}

/** A directory for the generated CSV: the cluster's temp dir, or (DATABASE_URL mode) one of its own. */
export function scratchDir(): string {
  held.tempDir ??= fs.mkdtempSync(path.join(os.tmpdir(), 'atlas-bench-csv-'));
  return held.tempDir;
}
