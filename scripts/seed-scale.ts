import 'reflect-metadata';
import { SingleBar, Presets } from 'cli-progress';
import { loadConfig } from '../common/platform/config';
import { connectDatabase } from '../common/platform/database/connect';
import { createLogger } from '../common/platform/logger';
import { prepareDatabase } from '../common/data/seed/seed';
import { loadScale, QUICK_SCALE, removeScale, SYNTHETIC_DOCUMENT } from '../common/data/seed/scale';
import { onInterrupt } from '../common/platform/server/shutdown';
import { runCli } from './cli';

const USAGE = `usage: npm run seed:scale -- [--quick] [--remove] [--no-progress]

Loads deterministic SYNTHETIC observations for every pre-reform unit of the registry (10,807 units × 30 indicators
× SEED_SCALE_PERIODS quarters, 8 by default: about 2.6 million rows) by COPY, in one transaction; a re-run replaces
them. Their source has document "${SYNTHETIC_DOCUMENT}". Figures of every other source are never touched.
  --quick        one quarter, 4 indicators per domain (about 130,000 rows): for CI
  --remove       delete every synthetic figure and the synthetic source, nothing else
  --no-progress  no progress bar (it is also off when stderr is not a terminal)`;

async function main(argv: string[]): Promise<number> {
  const flags = new Set(argv);
  const unknown = [...flags].filter((f) => !['--quick', '--remove', '--no-progress', '--help'].includes(f));
  if (flags.has('--help')) {
    console.log(USAGE);
    return 0;
  }
  if (unknown.length) {
    console.error(`unknown option ${unknown.join(', ')}\n\n${USAGE}`);
    return 2;
  }
  const log = createLogger('seed-scale', process.env.LOG_LEVEL || 'warn');
  const config = loadConfig();
  const database = await connectDatabase(config, log, { startEmbedded: true });
  onInterrupt('seed:scale interrupted: its transaction was rolled back, nothing was written', () => database.stop());
  try {
    await prepareDatabase(database.url, config.seedsDir, log);
    if (flags.has('--remove')) {
      const removed = await removeScale(database.url);
      console.log(`removed ${removed.deleted} synthetic rows in ${removed.seconds.toFixed(1)} s`);
      return 0;
    }
    const showProgress = !flags.has('--no-progress') && process.stderr.isTTY;
    const bar = new SingleBar(
      { format: 'seed:scale |{bar}| {percentage}% {value}/{total} rows | {eta}s left', stream: process.stderr },
      Presets.shades_classic,
    );
    const options = flags.has('--quick') ? { ...QUICK_SCALE } : { periods: config.seedScalePeriods };
    try {
      const summary = await loadScale(database.url, {
        ...options,
        onProgress: showProgress ? (done, total) => (done === 0 ? bar.start(total, 0) : bar.update(done)) : undefined,
      });
      if (showProgress) bar.stop();
      console.log(
        `seed:scale: ${summary.inserted} synthetic rows (${summary.units} units × ${summary.indicators} indicators × ${summary.periods} quarters, ` +
          `pairs with real figures left out), ${summary.deleted} replaced, in ${summary.seconds.toFixed(1)} s: ${summary.rowsPerSecond} rows/s`,
      );
    } finally {
      if (showProgress) bar.stop();
    }
    return 0;
  } finally {
    await database.stop();
  }
}

runCli('seed:scale', () => main(process.argv.slice(2)));
