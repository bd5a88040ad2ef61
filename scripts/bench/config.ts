import { performance } from 'node:perf_hooks';
import { createLogger } from '../../common/platform/logger';

/** An integer knob from the environment, with its default. */
const intEnv = (name: string, fallback: number, min = 0) => {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) throw new Error(`${name}=${raw} must be an integer >= ${min}`);
  return n;
};

/** BENCH_QUICK=1: a CI-sized run (few rows, 1 s per measurement); every knob below can still be set. */
export const QUICK = ['1', 'true', 'yes'].includes((process.env.BENCH_QUICK ?? '').trim().toLowerCase());
export const ROWS = intEnv('BENCH_ROWS', QUICK ? 20_000 : 500_000, 1);
export const REQUESTS = intEnv('BENCH_REQUESTS', 300, 1);
export const WARMUP = intEnv('BENCH_WARMUP', 20, 0);
export const CONCURRENCY = intEnv('BENCH_CONCURRENCY', 8, 0);
export const DEADLINE_MS = intEnv('BENCH_DEADLINE_S', QUICK ? 420 : 1500, 10) * 1000;
/** Seconds of load per scenario, system and concurrency in the systems comparison. */
export const DURATION_S = intEnv('BENCH_DURATION_S', QUICK ? 1 : 5, 1);
/** The concurrencies of the systems comparison (issue 13: 1 and 50). */
export const LOAD_CONCURRENCIES = (process.env.BENCH_LOAD_CONCURRENCY ?? '1,50').split(',').map((c) => {
  const n = Number(c.trim());
  if (!Number.isInteger(n) || n < 1) throw new Error(`BENCH_LOAD_CONCURRENCY=${process.env.BENCH_LOAD_CONCURRENCY} must list integers >= 1`);
  return n;
});
/** BENCH_SCENARIOS=a,b: only these scenarios of the comparison (default: all five). */
export const SCENARIO_FILTER = (process.env.BENCH_SCENARIOS ?? '')
  .split(',')
  .map((x) => x.trim())
  .filter(Boolean);
/** The in-process latency phase with SQL counts per request (the first benchmark), off unless asked for. */
export const IN_PROCESS = !!process.env.BENCH_IN_PROCESS;
export const TRACE_SQL = !!process.env.BENCH_TRACE_SQL;
/** Wall-clock cap per latency scenario: fewer requests are sent (and reported) rather than overrunning. */
export const SCENARIO_BUDGET_MS = 20_000;
/** Time kept back for teardown when sizing the later phases. */
export const TEARDOWN_RESERVE_MS = 15_000;

export const log = createLogger('bench', process.env.BENCH_LOG_LEVEL || 'warn');

const started = performance.now();
export const elapsed = () => performance.now() - started;
export const remaining = () => DEADLINE_MS - elapsed();
