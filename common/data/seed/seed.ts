import fs from 'node:fs';
import path from 'node:path';
import { DOMAINS } from '../../core/domain';
import { createDataSource, migrate } from '../database/data-source';
import { importObservations, type ImportOptions, type ImportSummary } from '../import/importer';
import type { Logger } from '../../platform/logger';
import { PROJECT_ROOT } from '../../platform/paths';
import { loadCatalogue, readCatalogue } from './catalogue';
import { loadRegistry, readRegistries } from './registry';

/** The import's connections carry this application_name (in pg_stat_activity and for statement counts). */
export const IMPORT_APPLICATION_NAME = 'atlas-import';

/**
 * Migrates every domain schema and loads the reference seeds (locality registry, indicator
 * catalogue) into each. Idempotent and cheap when nothing changed (checksums in seed_state).
 */
export async function prepareDatabase(url: string, seedsDir: string, log: Logger): Promise<void> {
  const registry = readRegistries(seedsDir);
  const catalogue = readCatalogue();
  for (const domain of DOMAINS) {
    const db = createDataSource({ url, schema: domain, poolSize: 2, applicationName: 'atlas-seed' });
    await db.initialize();
    try {
      const applied = await migrate(db);
      if (applied.length) log.info({ schema: domain, migrations: applied }, 'migrated');
      const r = await loadRegistry(db, registry);
      const c = await loadCatalogue(db, catalogue);
      if (r.loaded || c.loaded) log.info({ schema: domain, localities: r.rows, indicators: c.rows }, 'reference data loaded');
    } finally {
      await db.destroy();
    }
  }
}

/** The observation seed files, one per source document, in name order. */
export function observationSeedFiles(seedsDir: string): string[] {
  const dir = path.join(seedsDir, 'observations');
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.csv'))
    .sort()
    .map((f) => path.join(dir, f));
}

/**
 * Imports CSV files through the validating importer, reaching Postgres as the subgraphs do: a TypeORM
 * data source (one connection) and a query runner holding the single transaction.
 */
export async function importFiles(url: string, files: string[], options: ImportOptions = {}): Promise<ImportSummary> {
  const dataSource = createDataSource({ url, schema: DOMAINS[0], poolSize: 1, applicationName: IMPORT_APPLICATION_NAME });
  await dataSource.initialize();
  const runner = dataSource.createQueryRunner();
  try {
    return await importObservations(
      runner,
      files.map((f) => ({ name: path.relative(PROJECT_ROOT, f) || f, open: () => fs.createReadStream(f) })),
      options,
    );
  } finally {
    await runner.release().catch(() => undefined);
    await dataSource.destroy().catch(() => undefined);
  }
}

/** Everything `npm start` and `npm run seed` load: reference data, then the seed figures (same validation as imports). */
export async function seedAll(url: string, seedsDir: string, log: Logger): Promise<ImportSummary> {
  await prepareDatabase(url, seedsDir, log);
  const summary = await importFiles(url, observationSeedFiles(seedsDir));
  log.info(
    { inserted: summary.inserted, updated: summary.updated, unchanged: summary.unchanged, seconds: summary.seconds },
    'seed observations loaded',
  );
  return summary;
}
