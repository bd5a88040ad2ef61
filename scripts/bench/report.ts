import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DOMAINS, type Domain } from '../../common/core/domain';
import { fromRoot } from '../../common/platform/paths';
import { CONCURRENCY, DEADLINE_MS, REQUESTS, ROWS, SCENARIO_BUDGET_MS, WARMUP } from './config';

const MB = 1024 * 1024;
export const mb = (bytes: number) => Math.round((bytes / MB) * 10) / 10;
export const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;

export interface MemoryProfile {
  rssBeforeMb: number;
  rssPeakMb: number;
  rssGrowthMb: number;
  heapUsedPeakMb: number;
  samples: number;
  /** RSS when 25/50/75/100 % of the file had been read (before the forced GC below). */
  rssAtProgressMb: Record<string, number>;
  /** Live JS heap after a forced full GC at 25/50/75/100 %: flat means memory does not grow with rows. */
  liveHeapAtProgressMb: Record<string, number>;
  liveHeapBeforeMb: number;
  /** RSS every second of the import. */
  rssTimelineMb: number[];
}

export interface ImportRun {
  rows: number;
  seconds: number;
  /** Until the whole file was read: parse, validate, stage in batches (the rest is duplicate check, merge, commit). */
  streamSeconds: number;
  rowsPerSecond: number;
  inserted: number;
  updated: number;
  unchanged: number;
  sqlStatements: number;
  memory: MemoryProfile;
}

export interface LatencyResult {
  name: string;
  mode: 'sequential' | 'concurrent';
  concurrency: number;
  requests: number;
  warmup: number;
  errors: number;
  truncatedByBudget: boolean;
  sqlStatementsPerRequest: number | null;
  /** Summed time of those statements as the driver saw it (overlapping statements add up). */
  sqlMsPerRequest: number;
  /** CPU time of this Node process (gateway + 3 subgraphs + client) per request; Postgres is a separate process. */
  nodeCpuMsPerRequest: number;
  responseBytes: number;
  ms: { min: number; p50: number; p95: number; p99: number; max: number; mean: number };
  requestsPerSecond: number;
  seconds: number;
}

/** One line of bench/results/latest.json. */
export interface ComparisonRow {
  scenario: string;
  /** gateway, monolith, raw-sql or hive-gateway (scripts/bench/systems.ts). */
  system: string;
  concurrency: number;
  p50_ms: number;
  p95_ms: number;
  p99_ms: number;
  rps: number;
  /** Peak RSS of the process that answers (and its children) during the run. */
  rss_mb: number;
  /** Peak summed RSS of the three subgraph processes behind it (gateway, hive-gateway); 0 for the others. */
  subgraph_rss_mb: number;
  requests: number;
  errors: number;
}

/** One target of issue 13 (item 4), as a ratio from this run. */
export interface TargetCheck {
  target: string;
  measured: string;
  /** The measured ratio or value, compared with `limit`. */
  value: number | null;
  limit: number;
  met: boolean | null;
}

export interface Report {
  complete: boolean;
  abortedReason?: string;
  date: string;
  machine: {
    node: string;
    platform: string;
    cpuModel: string;
    cpuCount: number;
    totalMemoryGb: number;
    postgres?: string;
    /** 1-minute load average at start and end: other work on the machine skews the numbers. */
    loadAverage: { start: number; end?: number };
  };
  config: { rows: number; requests: number; warmup: number; concurrency: number; deadlineSeconds: number; database: string };
  setup: { postgresStartSeconds?: number; seedSeconds?: number };
  import?: {
    file: { rows: number; megabytes: number; generateSeconds: number; communes: number; indicators: string[]; periods: string[] };
    first?: ImportRun;
    reimport?: ImportRun & { allUnchanged: boolean };
    observationsInDatabase?: Record<Domain, number>;
    vacuumAnalyzeSeconds?: number;
  };
  gateway?: { startSeconds: number; scenarios: LatencyResult[] };
  /** The four systems side by side (scripts/bench/compare.ts) and the targets judged from them. */
  comparison?: { durationSeconds: number; rows: ComparisonRow[]; targets: TargetCheck[] };
  totalSeconds?: number;
}

/** The report this run fills in, phase by phase. */
export const report: Report = {
  complete: false,
  date: new Date().toISOString(),
  machine: {
    node: process.version,
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    cpuModel: os.cpus()[0]?.model.trim() ?? 'unknown',
    cpuCount: os.cpus().length,
    totalMemoryGb: round(os.totalmem() / 1024 ** 3, 1),
    loadAverage: { start: round(os.loadavg()[0]) },
  },
  config: {
    rows: ROWS,
    requests: REQUESTS,
    warmup: WARMUP,
    concurrency: CONCURRENCY,
    deadlineSeconds: DEADLINE_MS / 1000,
    database: process.env.DATABASE_URL ? 'DATABASE_URL (throwaway database)' : 'embedded Postgres (temp dir)',
  },
  setup: {},
};

function table(headers: string[], rows: Array<Array<string | number>>, alignLeft = 1): string {
  const cells = [headers, ...rows.map((r) => r.map(String))];
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => r[i].length)));
  const line = (r: string[]) => r.map((c, i) => (i < alignLeft ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [line(cells[0]), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.slice(1).map(line)].map((l) => `  ${l}`).join('\n');
}

export function formatReport(r: Report): string {
  const out: string[] = [];
  const m = r.machine;
  out.push('', '=== vn-digital-atlas benchmark ===');
  out.push(`date        ${r.date}`);
  out.push(`machine     ${m.cpuModel} × ${m.cpuCount}, ${m.totalMemoryGb} GB RAM, ${m.platform}`);
  out.push(`runtime     node ${m.node}${m.postgres ? `, ${m.postgres}` : ''}`);
  out.push(
    `load avg    ${m.loadAverage.start} at start${m.loadAverage.end !== undefined ? `, ${m.loadAverage.end} at end` : ''} (1 min; other work on the machine skews the numbers)`,
  );
  out.push(`database    ${r.config.database}`);
  if (r.setup.postgresStartSeconds !== undefined)
    out.push(`setup       Postgres ready in ${r.setup.postgresStartSeconds} s, seedAll in ${r.setup.seedSeconds ?? '?'} s`);
  if (r.import) {
    const f = r.import.file;
    out.push('', '--- 1. import streaming ---');
    out.push(
      `file        ${f.rows} rows, ${f.megabytes} MB (generated in ${f.generateSeconds} s): ${f.communes} communes × ${f.indicators.length} indicators × periods ${f.periods[0]}–${f.periods[f.periods.length - 1]}`,
    );
    out.push(`indicators  ${f.indicators.join(', ')}`);
    const runs: Array<[string, ImportRun | undefined]> = [
      ['import', r.import.first],
      ['re-import', r.import.reimport],
    ];
    const rows = runs
      .filter((x): x is [string, ImportRun] => !!x[1])
      .map(([name, x]) => [
        name,
        x.rows,
        x.seconds,
        `${x.streamSeconds} + ${round(x.seconds - x.streamSeconds)}`,
        x.rowsPerSecond,
        `${x.inserted}/${x.updated}/${x.unchanged}`,
        x.memory.rssBeforeMb,
        x.memory.rssPeakMb,
        x.memory.rssGrowthMb,
        Object.values(x.memory.rssAtProgressMb).join(' / '),
        `${x.memory.liveHeapBeforeMb} → ${Object.values(x.memory.liveHeapAtProgressMb).join(' / ')}`,
      ]);
    if (rows.length) {
      out.push(
        table(
          [
            'run',
            'rows',
            'seconds',
            'read + merge s',
            'rows/s',
            'ins/upd/unch',
            'RSS before MB',
            'RSS peak MB',
            'growth MB',
            'RSS at 25/50/75/100 % MB',
            'live heap before → 25/50/75/100 % MB',
          ],
          rows,
        ),
      );
    }
    out.push('  read = parse, validate and stage in 2,000-row batches; merge = duplicate check, upsert into 3 schemas, commit.');
    out.push('  RSS sampled every 100 ms; live heap = heapUsed after a forced full GC when that share of the file was read.');
    if (r.import.reimport) out.push(`re-import   all rows unchanged: ${r.import.reimport.allUnchanged ? 'yes' : 'NO'}`);
    if (r.import.observationsInDatabase) {
      const o = r.import.observationsInDatabase;
      out.push(`database    observations now: ${DOMAINS.map((d) => `${d} ${o[d]}`).join(', ')} (VACUUM ANALYZE ${r.import.vacuumAnalyzeSeconds} s)`);
    }
  }
  if (r.gateway) {
    out.push('', '--- 2. gateway latency (loopback, in-process stack) ---');
    out.push(`stack       3 subgraphs + gateway started in ${r.gateway.startSeconds} s`);
    out.push(
      table(
        [
          'query',
          'in flight',
          'requests',
          'errors',
          'p50 ms',
          'p95 ms',
          'p99 ms',
          'max ms',
          'req/s',
          'SQL/req',
          'SQL ms/req',
          'node CPU ms/req',
          'resp KB',
        ],
        r.gateway.scenarios.map((s) => [
          s.name,
          s.concurrency,
          `${s.requests}${s.truncatedByBudget ? '*' : ''}`,
          s.errors,
          s.ms.p50,
          s.ms.p95,
          s.ms.p99,
          s.ms.max,
          s.requestsPerSecond,
          s.sqlStatementsPerRequest ?? '-',
          s.sqlMsPerRequest,
          s.nodeCpuMsPerRequest,
          round(s.responseBytes / 1024, 1),
        ]),
      ),
    );
    if (r.gateway.scenarios.some((s) => s.truncatedByBudget)) out.push(`  * stopped at the ${SCENARIO_BUDGET_MS / 1000} s per-scenario budget`);
    out.push(
      '  SQL/req, SQL ms/req = statements all three subgraphs sent to Postgres for one request after warm-up, and their summed driver-side time.',
    );
    out.push('  node CPU ms/req = CPU of this one Node process (client + gateway + 3 subgraphs) per request; Postgres not included.');
  }
  out.push('', `total       ${r.totalSeconds ?? '?'} s${r.complete ? '' : ` — INCOMPLETE${r.abortedReason ? `: ${r.abortedReason}` : ''}`}`);
  return out.join('\n');
}

export function writeJson(r: Report, name: string): string {
  const dir = fromRoot('bench-results');
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, name);
  fs.writeFileSync(file, `${JSON.stringify(r, null, 2)}\n`);
  return file;
}
