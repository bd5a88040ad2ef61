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

export const ROWS = intEnv('BENCH_ROWS', 500_000, 1);
export const REQUESTS = intEnv('BENCH_REQUESTS', 300, 1);
export const WARMUP = intEnv('BENCH_WARMUP', 20, 0);
export const CONCURRENCY = intEnv('BENCH_CONCURRENCY', 8, 0);
export const DEADLINE_MS = intEnv('BENCH_DEADLINE_S', 170, 10) * 1000;
export const TRACE_SQL = !!process.env.BENCH_TRACE_SQL;
/** Wall-clock cap per latency scenario: fewer requests are sent (and reported) rather than overrunning. */
export const SCENARIO_BUDGET_MS = 20_000;
/** Time kept back for teardown when sizing the later phases. */
export const TEARDOWN_RESERVE_MS = 15_000;

export const log = createLogger('bench', process.env.BENCH_LOG_LEVEL || 'warn');

const started = performance.now();
export const elapsed = () => performance.now() - started;
export const remaining = () => DEADLINE_MS - elapsed();
