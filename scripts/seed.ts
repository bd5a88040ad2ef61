import 'reflect-metadata';
import { loadConfig } from '../common/platform/config';
import { connectDatabase } from '../common/platform/database/connect';
import { formatFileError, ImportValidationError } from '../common/data/import/importer';
import { createLogger } from '../common/platform/logger';
import { seedAll } from '../common/data/seed/seed';
import { onInterrupt } from '../common/platform/server/shutdown';
import { runCli } from './cli';

/** `npm run seed`: migrate, load the registry, catalogue and seed figures. Safe to repeat; works beside `npm start`. */
async function main(): Promise<number> {
  const log = createLogger('seed');
  const config = loadConfig();
  const database = await connectDatabase(config, log, { startEmbedded: true });
  onInterrupt('seed interrupted: the step in progress was rolled back; run `npm run seed` again', () => database.stop());
  try {
    const summary = await seedAll(database.url, config.seedsDir, log);
    console.log(
      `seeded: ${summary.rows} figures from ${summary.files.length} files — ${summary.inserted} inserted, ${summary.updated} updated, ${summary.unchanged} unchanged (${summary.seconds.toFixed(1)} s)`,
    );
    return 0;
  } catch (err) {
    if (err instanceof ImportValidationError) {
      console.error(err.errors.map(formatFileError).join('\n'));
      console.error(err.message);
      return 1;
    }
    throw err;
  } finally {
    await database.stop();
  }
}

runCli('seed', () => main());
