import 'reflect-metadata';
import fs from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../common/platform/config';
import { connectDatabase } from '../common/platform/database/connect';
import { createLogger } from '../common/platform/logger';
import { PROJECT_ROOT } from '../common/platform/paths';
import { prepareDatabase } from '../common/data/seed/seed';
import { RegistryValidationError } from '../common/data/seed/registry';
import { importRegistryVintage, vintageLinksFile, vintageUnitsFile } from '../common/data/seed/registry-import';
import { onInterrupt } from '../common/platform/server/shutdown';
import { runCli } from './cli';

const USAGE = `usage: npm run import:registry -- --vintage YYYY-MM-DD [--dry-run] <dir>

Loads a later GSO list of units as a new vintage of the locality registry, in one transaction:
  <dir>/${vintageUnitsFile('YYYY-MM-DD')}  code,name,name_en,type,level,parent_code (the format of seeds/admin-units-*.csv)
  <dir>/${vintageLinksFile('YYYY-MM-DD')}        optional: old_code,new_code,relation,verified_in_resolution
Units in force the day before end then; the new ones are in force from the vintage date. Any invalid row:
every problem is listed as file:line [column], nothing is written, exit code 1. Running it again changes nothing.
  --dry-run  validate and report what would change, write nothing`;

async function main(argv: string[]): Promise<number> {
  if (argv.includes('--help')) {
    console.log(USAGE);
    return 0;
  }
  const at = argv.indexOf('--vintage');
  const vintage = at >= 0 ? argv[at + 1] : undefined;
  const rest = argv.filter((a, i) => i !== at && i !== at + 1);
  const unknown = rest.filter((a) => a.startsWith('--') && a !== '--dry-run');
  const dirs = rest.filter((a) => !a.startsWith('--'));
  if (!vintage || unknown.length || dirs.length !== 1) {
    console.error(unknown.length ? `unknown option ${unknown.join(', ')}\n\n${USAGE}` : USAGE);
    return 2;
  }
  // npm runs scripts from the project folder; INIT_CWD is where the user typed the command.
  const dir = path.resolve(process.env.INIT_CWD ?? process.cwd(), dirs[0]);
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
    console.error(`${dirs[0]}: no such directory`);
    return 2;
  }
  const log = createLogger('import-registry', process.env.LOG_LEVEL || 'warn');
  const config = loadConfig();
  const database = await connectDatabase(config, log, { startEmbedded: true });
  onInterrupt('registry import interrupted: its transaction was rolled back, nothing was written', () => database.stop());
  try {
    await prepareDatabase(database.url, config.seedsDir, log);
    const s = await importRegistryVintage(database.url, dir, vintage, {
      dryRun: argv.includes('--dry-run'),
      displayDir: path.relative(PROJECT_ROOT, dir) || '.',
    });
    const what = `vintage ${s.vintage} (keys ${s.prefix}<GSO code>): ${s.units} units, ${s.links} links, ${s.closed} units of the previous list end ${s.vintage}`;
    if (s.written.length === 0) console.log(`vintage ${s.vintage} is already loaded with these files: nothing changed`);
    else console.log(`${s.dryRun ? 'dry run (nothing written): ' : ''}${what}; schemas ${s.written.join(', ')}`);
    return 0;
  } catch (err) {
    if (err instanceof RegistryValidationError) {
      console.error(err.problems.join('\n'));
      console.error(`registry import rejected: ${err.summary}`);
      return 1;
    }
    throw err;
  } finally {
    await database.stop();
  }
}

runCli('registry import', () => main(process.argv.slice(2)));
