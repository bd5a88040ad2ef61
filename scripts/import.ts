import 'reflect-metadata';
import fs from 'node:fs';
import path from 'node:path';
import { SingleBar, Presets } from 'cli-progress';
import { loadConfig } from '../common/platform/config';
import { connectDatabase } from '../common/platform/database/connect';
import { formatFileError, ImportValidationError } from '../common/data/import/importer';
import { createLogger } from '../common/platform/logger';
import { importFiles, prepareDatabase } from '../common/data/seed/seed';
import { onInterrupt } from '../common/platform/server/shutdown';
import { runCli } from './cli';

const USAGE = `usage: npm run import -- [--dry-run] [--no-progress] [--verbose] <file.csv> [more.csv ...]

Loads observations from CSV (columns: see docs/import.md) in one transaction.
Any invalid row: every error is listed with its line, nothing is written, exit code 1.
  --dry-run      validate and report what would change, write nothing
  --no-progress  no progress bar (it is also off when stderr is not a terminal)
  --verbose      a line on stderr for each batch of rows staged in the (still uncommitted) transaction`;

async function main(argv: string[]): Promise<number> {
  const flags = new Set(argv.filter((a) => a.startsWith('--')));
  // npm runs scripts from the project folder; INIT_CWD is where the user typed the command.
  const cwd = process.env.INIT_CWD ?? process.cwd();
  const files = argv.filter((a) => !a.startsWith('--')).map((f) => path.resolve(cwd, f));
  const unknown = [...flags].filter((f) => !['--dry-run', '--no-progress', '--verbose', '--help'].includes(f));
  if (flags.has('--help')) {
    console.log(USAGE);
    return 0;
  }
  if (unknown.length || files.length === 0) {
    console.error(unknown.length ? `unknown option ${unknown.join(', ')}\n\n${USAGE}` : USAGE);
    return 2;
  }
  const missing = files.filter((f) => !fs.existsSync(f) || !fs.statSync(f).isFile());
  if (missing.length) {
    console.error(missing.map((f) => `${f}: no such file`).join('\n'));
    return 2;
  }

  const log = createLogger('import', process.env.LOG_LEVEL || 'warn');
  const config = loadConfig();
  const database = await connectDatabase(config, log, { startEmbedded: true });
  onInterrupt('import interrupted: its transaction was rolled back, nothing was written', () => database.stop());
  // The bar redraws its line, so it would garble the --verbose lines.
  const showProgress = !flags.has('--no-progress') && !flags.has('--verbose') && process.stderr.isTTY;
  const total = files.reduce((n, f) => n + fs.statSync(f).size, 0);
  const bar = new SingleBar(
    { format: 'importing |{bar}| {percentage}% {value}/{total} bytes | {eta}s left', stream: process.stderr },
    Presets.shades_classic,
  );
  try {
    await prepareDatabase(database.url, config.seedsDir, log);
    if (showProgress) bar.start(total, 0);
    const summary = await importFiles(database.url, files, {
      dryRun: flags.has('--dry-run'),
      onBytes: showProgress ? (b) => bar.update(b) : undefined,
      onStaged: flags.has('--verbose')
        ? (s) => console.error(`staged ${s.rows} rows of ${s.file} (${s.totalRows} in all, transaction open, nothing committed yet)`)
        : undefined,
    });
    if (showProgress) bar.stop();
    console.log(
      `${flags.has('--dry-run') ? 'dry run (nothing written): ' : ''}${summary.rows} rows from ${summary.files.length} file(s): ` +
        `${summary.inserted} inserted, ${summary.updated} updated, ${summary.unchanged} unchanged in ${summary.seconds.toFixed(2)} s`,
    );
    return 0;
  } catch (err) {
    if (showProgress) bar.stop();
    if (err instanceof ImportValidationError) {
      console.error(err.errors.map(formatFileError).join('\n'));
      if (err.totalErrors > err.errors.length) console.error(`… and ${err.totalErrors - err.errors.length} more errors`);
      console.error(`import rejected: ${err.message}`);
      return 1;
    }
    throw err;
  } finally {
    await database.stop();
  }
}

runCli('import', () => main(process.argv.slice(2)));
