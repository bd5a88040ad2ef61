import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import v8 from 'node:v8';
import vm from 'node:vm';
import { DOMAINS, type Domain } from '../../common/core/domain';
import { formatFileError, ImportValidationError, type ImportSummary } from '../../common/data/import/importer';
import { IMPORT_APPLICATION_NAME, importFiles } from '../../common/data/seed/seed';
import { generateObservationsCsv } from '../../test/helpers/csv';
import { withClient } from '../../test/helpers/database';
import { SqlCounter } from '../../test/helpers/sql-counter';
import { ROWS } from './config';
import { mb, report, round, type ImportRun } from './report';
import { held, scratchDir } from './resources';

/** A full GC on demand (as `node --expose-gc` would give), to tell live memory from garbage not yet collected. */
v8.setFlagsFromString('--expose-gc');
const forceGc = vm.runInNewContext('gc') as () => void;

/** One import of `file`, with RSS sampled every 100 ms and the live heap after a forced GC at 25/50/75/100 % read. */
async function measuredImport(url: string, file: string): Promise<ImportRun> {
  const size = fs.statSync(file).size;
  forceGc();
  const before = process.memoryUsage();
  let rssPeak = before.rss;
  let heapPeak = before.heapUsed;
  let samples = 0;
  const timeline: number[] = [];
  const sample = () => {
    const m = process.memoryUsage();
    samples += 1;
    if (m.rss > rssPeak) rssPeak = m.rss;
    if (m.heapUsed > heapPeak) heapPeak = m.heapUsed;
    if (samples % 10 === 0) timeline.push(mb(m.rss));
    return m.rss;
  };
  const timer = setInterval(sample, 100);
  const checkpoints = [25, 50, 75, 100];
  const rssAt: Record<string, number> = {};
  const liveAt: Record<string, number> = {};
  const sql = new SqlCounter();
  const t0 = performance.now();
  let streamSeconds = NaN;
  let summary: ImportSummary;
  try {
    summary = await importFiles(url, [file], {
      onBytes: (bytes) => {
        while (checkpoints.length && bytes >= (size * checkpoints[0]) / 100) {
          const key = `${checkpoints.shift()}%`;
          if (key === '100%') streamSeconds = (performance.now() - t0) / 1000;
          rssAt[key] = mb(sample());
          forceGc();
          liveAt[key] = mb(process.memoryUsage().heapUsed);
        }
      },
    });
  } catch (err) {
    if (err instanceof ImportValidationError) {
      throw new Error(`generated CSV was rejected:\n${err.errors.slice(0, 5).map(formatFileError).join('\n')}\n${err.message}`);
    }
    throw err;
  } finally {
    clearInterval(timer);
    sql.stop();
  }
  sample();
  const seconds = (performance.now() - t0) / 1000;
  return {
    rows: summary.rows,
    seconds: round(seconds),
    streamSeconds: round(streamSeconds),
    rowsPerSecond: Math.round(summary.rows / seconds),
    inserted: summary.inserted,
    updated: summary.updated,
    unchanged: summary.unchanged,
    sqlStatements: sql.statements(IMPORT_APPLICATION_NAME),
    memory: {
      rssBeforeMb: mb(before.rss),
      rssPeakMb: mb(rssPeak),
      rssGrowthMb: mb(rssPeak - before.rss),
      heapUsedPeakMb: mb(heapPeak),
      samples,
      rssAtProgressMb: rssAt,
      liveHeapBeforeMb: mb(before.heapUsed),
      liveHeapAtProgressMb: liveAt,
      rssTimelineMb: timeline,
    },
  };
}

/** 1. Generates the CSV, imports it, re-imports it (all must come back unchanged), then settles the tables. */
export async function importBenchmark(url: string): Promise<void> {
  const file = path.join(scratchDir(), 'bench-observations.csv');

  held.phase = 'generating the CSV';
  const t0 = performance.now();
  const generated = await generateObservationsCsv(file, { rows: ROWS });
  report.import = {
    file: {
      rows: generated.rows,
      megabytes: mb(fs.statSync(file).size),
      generateSeconds: round((performance.now() - t0) / 1000),
      communes: generated.communes,
      indicators: generated.indicators.map((i) => `${i.code} (${i.unit})`),
      periods: generated.periods,
    },
  };
  console.log(`  generated ${generated.rows} rows (${report.import.file.megabytes} MB) in ${report.import.file.generateSeconds} s`);

  held.phase = 'importing the CSV';
  const first = await measuredImport(url, file);
  report.import.first = first;
  console.log(`  import: ${first.rows} rows in ${first.seconds} s (${first.rowsPerSecond} rows/s), peak RSS ${first.memory.rssPeakMb} MB`);

  held.phase = 're-importing the CSV';
  const again = await measuredImport(url, file);
  const allUnchanged = again.unchanged === again.rows && again.inserted === 0 && again.updated === 0;
  report.import.reimport = { ...again, allUnchanged };
  console.log(`  re-import: ${again.seconds} s, ${again.unchanged}/${again.rows} unchanged`);
  if (!allUnchanged) throw new Error(`re-import changed rows: ${again.inserted} inserted, ${again.updated} updated`);

  // Settle the tables (as autovacuum eventually would) so the latency runs do not race a background ANALYZE.
  held.phase = 'VACUUM ANALYZE';
  const v0 = performance.now();
  report.import.observationsInDatabase = await withClient(url, async (c) => {
    const counts = {} as Record<Domain, number>;
    for (const d of DOMAINS) {
      await c.query(`VACUUM (ANALYZE) "${d}".observation, "${d}".source`);
      counts[d] = Number((await c.query<{ n: string }>(`SELECT count(*) AS n FROM "${d}".observation`)).rows[0].n);
    }
    return counts;
  });
  report.import.vacuumAnalyzeSeconds = round((performance.now() - v0) / 1000);
  fs.rmSync(file, { force: true });
}
