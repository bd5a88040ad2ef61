import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import v8 from 'node:v8';
import vm from 'node:vm';
import { parse } from 'csv-parse/sync';
import pg from 'pg';
import type { DataSource } from 'typeorm';
import { DOMAINS, type Domain } from '../common/core/domain';
import { openDomainDatabase } from '../common/data/database/data-source';
import { startEmbeddedCluster, type EmbeddedCluster } from '../common/platform/database/embedded';
import { formatFileError, ImportValidationError, type ImportSummary } from '../common/data/import/importer';
import { createLogger } from '../common/platform/logger';
import { fromRoot } from '../common/platform/paths';
import { importFiles, seedAll } from '../common/data/seed/seed';
import { freePort, listen, type Listening } from '../common/platform/server/http';
import { createSubgraphServer } from '../common/graph/subgraph-server';
import { createGatewayServer } from '../gateway/server';
import { SUBGRAPHS } from '../subgraphs';

/**
 * `npm run bench`: a bounded, loopback-only benchmark.
 *   1. streaming import of a generated 500,000-row observation CSV (throughput, peak RSS), then a re-import;
 *   2. gateway latency of three queries against the stack started in this process (as test/helpers/stack.ts does).
 * Uses its own embedded Postgres in a temp dir (or a throwaway database on DATABASE_URL) and removes it at the end.
 * Prints a report and writes it as JSON to bench-results/latest.json.
 *
 * Knobs (env): BENCH_ROWS (500000), BENCH_REQUESTS (300), BENCH_WARMUP (20), BENCH_CONCURRENCY (8, 0 = skip),
 * BENCH_DEADLINE_S (170; past it the run stops, cleans up and writes bench-results/last-aborted.json instead),
 * BENCH_LOG_LEVEL (warn), BENCH_TRACE_SQL (set: print each SQL statement of the probe request of every scenario).
 */

const intEnv = (name: string, fallback: number, min = 0) => {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) throw new Error(`${name}=${raw} must be an integer >= ${min}`);
  return n;
};

const ROWS = intEnv('BENCH_ROWS', 500_000, 1);
const REQUESTS = intEnv('BENCH_REQUESTS', 300, 1);
const WARMUP = intEnv('BENCH_WARMUP', 20, 0);
const CONCURRENCY = intEnv('BENCH_CONCURRENCY', 8, 0);
const DEADLINE_MS = intEnv('BENCH_DEADLINE_S', 170, 10) * 1000;
/** Wall-clock cap per latency scenario: fewer requests are sent (and reported) rather than overrunning. */
const SCENARIO_BUDGET_MS = 20_000;
/** Time kept back for teardown when sizing the later phases. */
const TEARDOWN_RESERVE_MS = 15_000;

const log = createLogger('bench', process.env.BENCH_LOG_LEVEL || 'warn');
const started = performance.now();
const elapsed = () => performance.now() - started;
const remaining = () => DEADLINE_MS - elapsed();

// ---------------------------------------------------------------------------------------------
// SQL statement counter: every query the pg driver sends (TypeORM's pools and the importer use pg.Client).

let sqlStatements = 0;
/** Summed duration of those statements (from the call to the result; statements on different connections overlap). */
let sqlMs = 0;
const sqlTrace: Array<{ ms: number; text: string }> | undefined = process.env.BENCH_TRACE_SQL ? [] : undefined;
{
  const proto = pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
  const original = proto.query;
  proto.query = function (this: unknown, ...args: unknown[]) {
    sqlStatements += 1;
    const t0 = performance.now();
    const result = original.apply(this, args);
    if (result && typeof (result as Promise<unknown>).then === 'function') {
      const done = () => {
        const ms = performance.now() - t0;
        sqlMs += ms;
        const q = args[0] as string | { text?: string };
        sqlTrace?.push({ ms, text: (typeof q === 'string' ? q : (q?.text ?? '')).replace(/\s+/g, ' ').slice(0, 300) });
      };
      (result as Promise<unknown>).then(done, done);
    }
    return result;
  };
}

/** A full GC on demand (as `node --expose-gc` would give), to tell live memory from garbage not yet collected. */
v8.setFlagsFromString('--expose-gc');
const forceGc = vm.runInNewContext('gc') as () => void;

// ---------------------------------------------------------------------------------------------
// Results

const MB = 1024 * 1024;
const mb = (bytes: number) => Math.round((bytes / MB) * 10) / 10;
const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;

interface MemoryProfile {
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

interface ImportRun {
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

interface LatencyResult {
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

interface Report {
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
  totalSeconds?: number;
}

const report: Report = {
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

// ---------------------------------------------------------------------------------------------
// Resources and cleanup (idempotent; also run by the deadline and on signals)

let tempDir: string | undefined;
let cluster: EmbeddedCluster | undefined;
let throwaway: { adminUrl: string; name: string } | undefined;
let stack: { stop(): Promise<void> } | undefined;
let phase = 'starting';
let cleaning: Promise<void> | undefined;

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

function cleanup(): Promise<void> {
  cleaning ??= (async () => {
    if (stack) {
      const s = stack;
      stack = undefined;
      await capped(s.stop().catch((err) => console.error(`  (cleanup: stopping the stack: ${(err as Error).message})`)), 5_000, 'stopping the stack');
    }
    if (throwaway) {
      const t = throwaway;
      throwaway = undefined;
      await capped(dropDatabase(t.adminUrl, t.name), 10_000, `dropping database ${t.name}`);
    }
    if (cluster) {
      const c = cluster;
      cluster = undefined;
      await capped(c.stop().catch((err) => console.error(`  (cleanup: stopping Postgres: ${(err as Error).message})`)), 10_000, 'stopping Postgres');
    }
    if (tempDir) {
      const d = tempDir;
      tempDir = undefined;
      try {
        fs.rmSync(d, { recursive: true, force: true });
      } catch (err) {
        console.error(`  (cleanup: could not remove ${d}: ${(err as Error).message})`);
      }
    }
  })();
  return cleaning;
}

let aborting = false;

async function abort(reason: string, code: number): Promise<never> {
  if (aborting) return new Promise<never>(() => {}); // the first abort reports and exits
  aborting = true;
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

// ---------------------------------------------------------------------------------------------
// Database

async function withClient<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, application_name: 'atlas-bench' });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
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

async function openDatabase(): Promise<string> {
  const external = process.env.DATABASE_URL?.trim();
  if (external) {
    const name = `atlas_bench_${randomBytes(4).toString('hex')}`;
    await withClient(external, (c) => c.query(`CREATE DATABASE ${name}`));
    throwaway = { adminUrl: external, name };
    const u = new URL(external);
    u.pathname = `/${name}`;
    return u.toString();
  }
  tempDir = fs.mkdtempSync(path.join(os.tmpdir(), 'atlas-bench-'));
  fs.chmodSync(tempDir, 0o755); // as root, Postgres runs as user postgres and must reach its data dir
  const port = await freePort();
  cluster = await startEmbeddedCluster(tempDir, port, log);
  return cluster.url;
}

// ---------------------------------------------------------------------------------------------
// Import benchmark

interface IndicatorRow {
  code: string;
  domain: string;
  unit: string;
}

/** One COUNT and one PERCENT indicator of each domain, headline indicators first. */
function pickIndicators(): IndicatorRow[] {
  const rows: Array<Record<string, string>> = parse(fs.readFileSync(fromRoot('seeds/indicators.csv'), 'utf8'), {
    columns: true,
    skip_empty_lines: true,
  });
  const picked: IndicatorRow[] = [];
  for (const domain of DOMAINS) {
    for (const unit of ['COUNT', 'PERCENT']) {
      const candidates = rows.filter((r) => r.domain === domain && r.unit === unit);
      const choice = candidates.find((r) => r.headline) ?? candidates[0];
      if (!choice) throw new Error(`seeds/indicators.csv has no ${unit} indicator of domain ${domain}`);
      picked.push({ code: choice.code, domain, unit });
    }
  }
  return picked;
}

function communeCodes(): string[] {
  const rows: Array<Record<string, string>> = parse(fs.readFileSync(fromRoot('seeds/admin-units-2025-03-01.csv'), 'utf8'), {
    columns: true,
    skip_empty_lines: true,
    trim: true,
  });
  return rows.filter((r) => r.level === 'commune').map((r) => r.code);
}

const HEADER =
  'locality_code,indicator_code,value,numerator,denominator,qualifier,period_start,period_end,period_label,source_title,source_url,source_publisher,source_published_at,source_document,notes,quote';
const QUALIFIERS = ['EXACT', 'APPROXIMATE', 'AT_LEAST', 'AT_MOST'];

/**
 * Writes `rows` valid observations: year × commune × indicator, so every natural key (locality,
 * indicator, period, source) is distinct. PERCENT rows carry a numerator/denominator that match the value.
 */
async function generateCsv(file: string, rows: number, communes: string[], indicators: IndicatorRow[]) {
  const years = Math.ceil(rows / (communes.length * indicators.length));
  const firstYear = 2025 - years;
  const out = fs.createWriteStream(file);
  const done = new Promise<void>((resolve, reject) => {
    out.on('finish', resolve);
    out.on('error', reject);
  });
  const write = (chunk: string) => (out.write(chunk) ? Promise.resolve() : new Promise<void>((r) => out.once('drain', () => r())));
  await write(`${HEADER}\n`);
  let n = 0;
  let buffer: string[] = [];
  const periods: string[] = [];
  outer: for (let y = 0; y < years; y++) {
    const year = firstYear + y;
    periods.push(String(year));
    for (let c = 0; c < communes.length; c++) {
      for (const indicator of indicators) {
        if (n >= rows) break outer;
        const title = `Atlas benchmark synthetic ${indicator.domain} statistics ${year}`;
        const url = `https://bench.example.org/atlas/${indicator.domain}/${year}`;
        const seed = (n * 2654435761) >>> 0;
        let value: string;
        let numerator = '';
        let denominator = '';
        if (indicator.unit === 'PERCENT') {
          const den = 500 + (seed % 20_000);
          const num = Math.floor((den * ((seed >>> 8) % 1001)) / 1000);
          numerator = String(num);
          denominator = String(den);
          value = ((100 * num) / den).toFixed(2);
        } else {
          value = String(seed % 250_000);
        }
        const qualifier = QUALIFIERS[n % QUALIFIERS.length];
        buffer.push(
          `${communes[c]},${indicator.code},${value},${numerator},${denominator},${qualifier},${year}-01-01,${year}-12-31,Year ${year},${title},${url},Atlas bench,,,,`,
        );
        n += 1;
        if (buffer.length === 2_000) {
          await write(`${buffer.join('\n')}\n`);
          buffer = [];
        }
      }
    }
  }
  if (buffer.length) await write(`${buffer.join('\n')}\n`);
  out.end();
  await done;
  return { rows: n, periods };
}

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
  const statementsBefore = sqlStatements;
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
    sqlStatements: sqlStatements - statementsBefore,
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

async function importBenchmark(url: string): Promise<void> {
  const communes = communeCodes();
  const indicators = pickIndicators();
  const dir = tempDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'atlas-bench-csv-'));
  if (!tempDir) tempDir = dir; // DATABASE_URL mode: the temp dir only holds the CSV
  const file = path.join(dir, 'bench-observations.csv');

  phase = 'generating the CSV';
  const t0 = performance.now();
  const generated = await generateCsv(file, ROWS, communes, indicators);
  report.import = {
    file: {
      rows: generated.rows,
      megabytes: mb(fs.statSync(file).size),
      generateSeconds: round((performance.now() - t0) / 1000),
      communes: communes.length,
      indicators: indicators.map((i) => `${i.code} (${i.unit})`),
      periods: generated.periods,
    },
  };
  console.log(`  generated ${generated.rows} rows (${report.import.file.megabytes} MB) in ${report.import.file.generateSeconds} s`);

  phase = 'importing the CSV';
  const first = await measuredImport(url, file);
  report.import.first = first;
  console.log(`  import: ${first.rows} rows in ${first.seconds} s (${first.rowsPerSecond} rows/s), peak RSS ${first.memory.rssPeakMb} MB`);

  phase = 're-importing the CSV';
  const again = await measuredImport(url, file);
  const allUnchanged = again.unchanged === again.rows && again.inserted === 0 && again.updated === 0;
  report.import.reimport = { ...again, allUnchanged };
  console.log(`  re-import: ${again.seconds} s, ${again.unchanged}/${again.rows} unchanged`);
  if (!allUnchanged) throw new Error(`re-import changed rows: ${again.inserted} inserted, ${again.updated} updated`);

  // Settle the tables (as autovacuum eventually would) so the latency runs do not race a background ANALYZE.
  phase = 'VACUUM ANALYZE';
  const v0 = performance.now();
  report.import.observationsInDatabase = await withClient(url, async (c) => {
    const counts = {} as Record<Domain, number>;
    for (const d of DOMAINS) {
      await c.query(`VACUUM (ANALYZE) "${d}".observation, "${d}".source`);
      counts[d] = Number((await c.query(`SELECT count(*) AS n FROM "${d}".observation`)).rows[0].n);
    }
    return counts;
  });
  report.import.vacuumAnalyzeSeconds = round((performance.now() - v0) / 1000);
  fs.rmSync(file, { force: true });
}

// ---------------------------------------------------------------------------------------------
// Gateway benchmark

async function startStack(databaseUrl: string): Promise<string> {
  const running: Array<{ listening: Listening; stop: () => Promise<void>; db: DataSource }> = [];
  let gatewayStop: (() => Promise<void>) | undefined;
  let gatewayListening: Listening | undefined;
  stack = {
    async stop() {
      await gatewayListening?.close();
      await gatewayStop?.();
      for (const s of running.reverse()) {
        await s.listening.close();
        await s.stop();
        await s.db.destroy();
      }
    },
  };
  const subgraphs = {} as Record<Domain, { port: number; url: string }>;
  for (const domain of DOMAINS) {
    const db = await openDomainDatabase({ url: databaseUrl, schema: domain, poolSize: 4, migrate: true });
    const server = await createSubgraphServer({ definition: SUBGRAPHS[domain], dataSource: db, log });
    const listening = await listen(server.app, 0, '127.0.0.1');
    running.push({ listening, stop: server.stop, db });
    subgraphs[domain] = { port: listening.port, url: listening.url };
  }
  const gateway = await createGatewayServer(
    { supergraphPath: fromRoot('schema/supergraph.graphql'), subgraphs, readyTimeoutMs: 1000, subgraphTimeoutMs: 10_000 },
    log,
  );
  gatewayStop = gateway.stop;
  gatewayListening = await listen(gateway.app, 0, '127.0.0.1');
  return gatewayListening.url;
}

interface Scenario {
  name: string;
  query: string;
  /** Throws if a response does not look right (wrong data is not a benchmark). */
  check(data: any): void;
}

const OBS = 'value qualifier indicator { code unit } period { start end label } source { title url }';

const SCENARIOS: Scenario[] = [
  {
    name: 'acceptance: search "son la"',
    query: `{ localities(search: "son la", first: 5) { totalCount nodes { code name level parent { name } identity { __typename } finance { __typename } infrastructure { __typename } } } }`,
    check: (d) => {
      if (!(d?.localities?.nodes?.length > 0)) throw new Error('no localities found for "son la"');
    },
  },
  {
    name: 'profile: locality 116, all domains',
    query: `{ locality(code: "116") { code name level parent { name }
      identity { observationCount activatedEidAccounts { ${OBS} } eidActivationRate { ${OBS} } }
      finance { observationCount transactionAccountHolders { ${OBS} } transactionAccountRate { ${OBS} } benefitsPaidThroughAccounts { ${OBS} } }
      infrastructure { observationCount baseStations { ${OBS} } fiveGStations { ${OBS} } coverage4g { ${OBS} } fixedBroadbandSubscribers { ${OBS} } mobileBroadbandSubscribers { ${OBS} } } } }`,
    check: (d) => {
      if (d?.locality?.code !== '116') throw new Error('locality 116 not returned');
      if (!(d.locality.infrastructure?.observationCount > 0)) throw new Error('locality 116 has no infrastructure observations');
    },
  },
  {
    name: 'batching: 200 communes of 14 × 3 domains',
    query: `{ localities(level: COMMUNE, parentCode: "14", first: 200) { totalCount nodes { code name identity { observationCount } finance { observationCount } infrastructure { observationCount } } } }`,
    check: (d) => {
      const nodes = d?.localities?.nodes ?? [];
      if (nodes.length !== 200) throw new Error(`expected 200 communes, got ${nodes.length}`);
      if (nodes.some((n: any) => n.identity?.observationCount == null || n.infrastructure?.observationCount == null)) {
        throw new Error('a commune lacks its domain profiles');
      }
    },
  },
];

async function post(url: string, query: string): Promise<{ ms: number; ok: boolean; bytes: number; data: unknown; error?: string }> {
  const t0 = performance.now();
  try {
    const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) });
    const text = await response.text();
    const ms = performance.now() - t0;
    const body = JSON.parse(text) as { data?: unknown; errors?: Array<{ message: string }> };
    const error = !response.ok ? `HTTP ${response.status}` : body.errors?.length ? body.errors[0].message : undefined;
    return { ms, ok: !error, bytes: text.length, data: body.data, error };
  } catch (err) {
    return { ms: performance.now() - t0, ok: false, bytes: 0, data: undefined, error: (err as Error).message };
  }
}

function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

async function runScenario(url: string, scenario: Scenario, concurrency: number): Promise<LatencyResult> {
  const budgetMs = Math.min(SCENARIO_BUDGET_MS, Math.max(2_000, remaining() - TEARDOWN_RESERVE_MS));
  // Check the answer and count the SQL statements one request costs (after a first request warmed caches).
  await post(url, scenario.query);
  const before = sqlStatements;
  const msBefore = sqlMs;
  sqlTrace?.splice(0);
  const probe = await post(url, scenario.query);
  const statements = sqlStatements - before;
  const statementsMs = sqlMs - msBefore;
  if (sqlTrace) for (const t of sqlTrace) console.log(`    sql ${t.ms.toFixed(1)} ms: ${t.text}`);
  if (!probe.ok) throw new Error(`${scenario.name}: ${probe.error}`);
  scenario.check(probe.data);

  const warmup = concurrency === 1 ? WARMUP : Math.min(WARMUP, concurrency * 2);
  for (let i = 0; i < warmup; i++) await post(url, scenario.query);

  const latencies: number[] = [];
  let errors = 0;
  let firstError: string | undefined;
  let issued = 0;
  let truncated = false;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const worker = async () => {
    while (issued < REQUESTS && !aborting) {
      if (performance.now() - t0 > budgetMs) {
        truncated = true;
        return;
      }
      issued += 1;
      const r = await post(url, scenario.query);
      latencies.push(r.ms);
      if (!r.ok) {
        errors += 1;
        firstError ??= r.error;
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  if (firstError) console.error(`  ${scenario.name}: ${errors} failed requests, first: ${firstError}`);
  const sorted = [...latencies].sort((a, b) => a - b);
  return {
    name: scenario.name,
    mode: concurrency === 1 ? 'sequential' : 'concurrent',
    concurrency,
    requests: latencies.length,
    warmup,
    errors,
    truncatedByBudget: truncated,
    sqlStatementsPerRequest: statements,
    sqlMsPerRequest: round(statementsMs, 1),
    nodeCpuMsPerRequest: round((cpu.user + cpu.system) / 1000 / Math.max(1, latencies.length), 1),
    responseBytes: probe.bytes,
    ms: {
      min: round(sorted[0]),
      p50: round(percentile(sorted, 50)),
      p95: round(percentile(sorted, 95)),
      p99: round(percentile(sorted, 99)),
      max: round(sorted[sorted.length - 1]),
      mean: round(latencies.reduce((a, b) => a + b, 0) / latencies.length),
    },
    requestsPerSecond: round(latencies.length / seconds, 1),
    seconds: round(seconds),
  };
}

async function gatewayBenchmark(databaseUrl: string): Promise<void> {
  phase = 'starting the gateway stack';
  const t0 = performance.now();
  const gatewayUrl = await startStack(databaseUrl);
  report.gateway = { startSeconds: round((performance.now() - t0) / 1000), scenarios: [] };
  console.log(`  stack up in ${report.gateway.startSeconds} s at ${gatewayUrl}`);

  const modes = [1, ...(CONCURRENCY > 1 ? [CONCURRENCY] : [])];
  for (const concurrency of modes) {
    for (const scenario of SCENARIOS) {
      if (concurrency > 1 && remaining() < TEARDOWN_RESERVE_MS + 5_000) {
        console.log(`  skipping ${scenario.name} ×${concurrency}: too close to the deadline`);
        continue;
      }
      phase = `gateway: ${scenario.name} (${concurrency} in flight)`;
      const r = await runScenario(gatewayUrl, scenario, concurrency);
      if (aborting) return; // the stack is being torn down: these numbers are meaningless
      report.gateway.scenarios.push(r);
      console.log(
        `  ${r.name} [${concurrency} in flight]: p50 ${r.ms.p50} ms, p95 ${r.ms.p95} ms, ${r.requestsPerSecond} req/s, ${r.sqlStatementsPerRequest} SQL/request`,
      );
    }
  }
  phase = 'stopping the gateway stack';
  const s = stack;
  stack = undefined;
  await s?.stop();
}

// ---------------------------------------------------------------------------------------------
// Report

function table(headers: string[], rows: Array<Array<string | number>>, alignLeft = 1): string {
  const cells = [headers, ...rows.map((r) => r.map(String))];
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => r[i].length)));
  const line = (r: string[]) => r.map((c, i) => (i < alignLeft ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [line(cells[0]), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.slice(1).map(line)].map((l) => `  ${l}`).join('\n');
}

function formatReport(r: Report): string {
  const out: string[] = [];
  const m = r.machine;
  out.push('', '=== vn-digital-atlas benchmark ===');
  out.push(`date        ${r.date}`);
  out.push(`machine     ${m.cpuModel} × ${m.cpuCount}, ${m.totalMemoryGb} GB RAM, ${m.platform}`);
  out.push(`runtime     node ${m.node}${m.postgres ? `, ${m.postgres}` : ''}`);
  out.push(`load avg    ${m.loadAverage.start} at start${m.loadAverage.end !== undefined ? `, ${m.loadAverage.end} at end` : ''} (1 min; other work on the machine skews the numbers)`);
  out.push(`database    ${r.config.database}`);
  if (r.setup.postgresStartSeconds !== undefined) out.push(`setup       Postgres ready in ${r.setup.postgresStartSeconds} s, seedAll in ${r.setup.seedSeconds ?? '?'} s`);
  if (r.import) {
    const f = r.import.file;
    out.push('', '--- 1. import streaming ---');
    out.push(`file        ${f.rows} rows, ${f.megabytes} MB (generated in ${f.generateSeconds} s): ${f.communes} communes × ${f.indicators.length} indicators × periods ${f.periods[0]}–${f.periods[f.periods.length - 1]}`);
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
          ['run', 'rows', 'seconds', 'read + merge s', 'rows/s', 'ins/upd/unch', 'RSS before MB', 'RSS peak MB', 'growth MB', 'RSS at 25/50/75/100 % MB', 'live heap before → 25/50/75/100 % MB'],
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
        ['query', 'in flight', 'requests', 'errors', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms', 'req/s', 'SQL/req', 'SQL ms/req', 'node CPU ms/req', 'resp KB'],
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
    out.push('  SQL/req, SQL ms/req = statements all three subgraphs sent to Postgres for one request after warm-up, and their summed driver-side time.');
    out.push('  node CPU ms/req = CPU of this one Node process (client + gateway + 3 subgraphs) per request; Postgres not included.');
  }
  out.push('', `total       ${r.totalSeconds ?? '?'} s${r.complete ? '' : ` — INCOMPLETE${r.abortedReason ? `: ${r.abortedReason}` : ''}`}`);
  return out.join('\n');
}

function writeJson(r: Report, name: string): string {
  const dir = fromRoot('bench-results');
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, name);
  fs.writeFileSync(file, `${JSON.stringify(r, null, 2)}\n`);
  return file;
}

// ---------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  console.log(`bench: ${ROWS} rows, ${REQUESTS} requests per query (+${WARMUP} warm-up), deadline ${DEADLINE_MS / 1000} s`);
  phase = 'starting Postgres';
  let t0 = performance.now();
  const url = await openDatabase();
  report.setup.postgresStartSeconds = round((performance.now() - t0) / 1000);
  report.machine.postgres = await withClient(url, async (c) => String((await c.query('SHOW server_version')).rows[0].server_version))
    .then((v) => `Postgres ${v}`)
    .catch(() => undefined);
  console.log(`  Postgres ready in ${report.setup.postgresStartSeconds} s`);

  phase = 'seeding';
  t0 = performance.now();
  await seedAll(url, fromRoot('seeds'), log);
  report.setup.seedSeconds = round((performance.now() - t0) / 1000);
  console.log(`  seeded in ${report.setup.seedSeconds} s`);

  console.log('1. import streaming');
  await importBenchmark(url);

  console.log('2. gateway latency');
  await gatewayBenchmark(url);

  phase = 'cleaning up';
  await cleanup();
  report.complete = true;
  report.machine.loadAverage.end = round(os.loadavg()[0]);
  report.totalSeconds = round(elapsed() / 1000, 1);
  console.log(formatReport(report));
  const file = writeJson(report, 'latest.json');
  console.log(`\nwritten to ${path.relative(process.cwd(), file) || file}`);
}

const deadline = setTimeout(() => {
  void abort(`global deadline of ${DEADLINE_MS / 1000} s reached while ${phase}`, 2);
}, DEADLINE_MS);
deadline.unref();
// Stopping Postgres under a running phase makes its connections emit errors nobody listens to any more.
process.on('uncaughtException', (err) => {
  if (aborting) return;
  void abort(`uncaught error while ${phase}: ${err.stack ?? err}`, 1);
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => void abort(`${signal} received while ${phase}`, 130));
}

main().then(
  () => {
    clearTimeout(deadline);
    process.exit(0);
  },
  (err) => void abort(`${phase} failed: ${(err as Error).stack ?? err}`, 1),
);
