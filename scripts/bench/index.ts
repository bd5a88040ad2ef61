import 'reflect-metadata';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fromRoot } from '../../common/platform/paths';
import { seedAll } from '../../common/data/seed/seed';
import { withClient } from '../../test/helpers/database';
import { compareSystems } from './compare';
import { DEADLINE_MS, DURATION_S, elapsed, IN_PROCESS, LOAD_CONCURRENCIES, log, QUICK, REQUESTS, ROWS, WARMUP } from './config';
import { loadBenchData } from './data';
import { gatewayBenchmark } from './gateway-bench';
import { formatReport, report, round, writeJson } from './report';
import { checkTargets, markdown, writeResults } from './results';
import { cleanup, held, openDatabase } from './resources';

/**
 * `npm run bench`: a bounded, loopback-only benchmark (docs/bench.md).
 *   1. streaming import of a generated 500,000-row observation CSV (throughput, peak RSS), then a re-import;
 *   2. four systems side by side on the same data (gateway, monolith, raw-sql, hive-gateway; scripts/bench/compare.ts),
 *      five scenarios at concurrency 1 and 50, with the targets of issue 13 as ratios;
 *   (BENCH_IN_PROCESS=1: also the first latency phase, in-process, with SQL statements per request.)
 * Uses its own embedded Postgres in a temp dir (or a throwaway database on DATABASE_URL) and removes it at the end.
 * Prints a report; writes bench/results/latest.json (+ latest.md, targets.json) and bench-results/latest.json.
 *
 * Knobs (env): BENCH_QUICK (a CI-sized run), BENCH_ROWS (500000), BENCH_DURATION_S (5 s per measurement),
 * BENCH_LOAD_CONCURRENCY (1,50), BENCH_DEADLINE_S (900; past it the run stops, cleans up and writes
 * bench-results/last-aborted.json instead), BENCH_IN_PROCESS, BENCH_REQUESTS (300), BENCH_WARMUP (20), BENCH_CONCURRENCY (8),
 * BENCH_LOG_LEVEL (warn), BENCH_TRACE_SQL (set: print each SQL statement of the probe request of every scenario).
 */

async function abort(reason: string, code: number): Promise<never> {
  if (held.aborting) return new Promise<never>(() => {}); // the first abort reports and exits
  held.aborting = true;
  report.abortedReason = reason;
  console.error(`\nbench aborted: ${reason}`);
  await cleanup();
  try {
    report.totalSeconds = round(elapsed() / 1000, 1);
    console.log(formatReport(report));
    writeJson(report, 'last-aborted.json');
  } catch {
    // reporting is best effort here
  }
  process.exit(code);
}

async function main(): Promise<void> {
  console.log(
    `bench${QUICK ? ' (quick)' : ''}: ${ROWS} rows, ${DURATION_S} s per system × scenario × concurrency (${LOAD_CONCURRENCIES.join(', ')}), deadline ${DEADLINE_MS / 1000} s`,
  );
  held.phase = 'starting Postgres';
  let t0 = performance.now();
  const url = await openDatabase();
  report.setup.postgresStartSeconds = round((performance.now() - t0) / 1000);
  report.machine.postgres = await withClient(url, async (c) =>
    String((await c.query<{ server_version: string }>('SHOW server_version')).rows[0].server_version),
  )
    .then((v) => `Postgres ${v}`)
    .catch(() => undefined);
  console.log(`  Postgres ready in ${report.setup.postgresStartSeconds} s`);

  held.phase = 'seeding';
  t0 = performance.now();
  await seedAll(url, fromRoot('seeds'), log);
  report.setup.seedSeconds = round((performance.now() - t0) / 1000);
  console.log(`  seeded in ${report.setup.seedSeconds} s`);

  console.log('1. data: import streaming');
  const importRowsPerSecond = await loadBenchData(url);

  if (IN_PROCESS) {
    console.log(`2a. in-process gateway latency (${REQUESTS} requests per query, +${WARMUP} warm-up)`);
    await gatewayBenchmark(url);
  }

  console.log('2. four systems side by side');
  const rows = await compareSystems(url, (r) =>
    console.log(
      `  ${r.scenario} ${r.system} ×${r.concurrency}: ${r.rps} rps, p50 ${r.p50_ms} / p95 ${r.p95_ms} / p99 ${r.p99_ms} ms, RSS ${r.rss_mb} MB${r.subgraph_rss_mb ? ` + subgraphs ${r.subgraph_rss_mb} MB` : ''}${r.errors ? `, ${r.errors} errors` : ''}`,
    ),
  );
  const targets = checkTargets(rows, importRowsPerSecond);
  report.comparison = { durationSeconds: DURATION_S, rows, targets };

  held.phase = 'cleaning up';
  await cleanup();
  report.complete = true;
  report.machine.loadAverage.end = round(os.loadavg()[0]);
  report.totalSeconds = round(elapsed() / 1000, 1);
  console.log(formatReport(report));
  console.log(`\n${markdown(rows, targets, report)}`);
  const file = writeJson(report, 'latest.json');
  const results = writeResults(rows, targets, report);
  console.log(`\nwritten to ${path.relative(process.cwd(), results)} (+ latest.md, targets.json) and ${path.relative(process.cwd(), file) || file}`);
}

const deadline = setTimeout(() => {
  void abort(`global deadline of ${DEADLINE_MS / 1000} s reached while ${held.phase}`, 2);
}, DEADLINE_MS);
deadline.unref();
// Stopping Postgres under a running phase makes its connections emit errors nobody listens to any more.
process.on('uncaughtException', (err) => {
  if (held.aborting) return;
  void abort(`uncaught error while ${held.phase}: ${err.stack ?? err}`, 1);
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => void abort(`${signal} received while ${held.phase}`, 130));
}

main().then(
  () => {
    clearTimeout(deadline);
    process.exit(0);
  },
  (err) => void abort(`${held.phase} failed: ${(err as Error).stack ?? err}`, 1),
);
