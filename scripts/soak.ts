import 'reflect-metadata';
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { isDeepStrictEqual } from 'node:util';
import { seedAll } from '../common/data/seed/seed';
import { fromRoot } from '../common/platform/paths';
import { startProcessStack } from '../test/helpers/process-stack';
import { authHeaders, type GraphQLResponse } from '../test/helpers/stack';
import { cleanup, held, openDatabase } from './bench/resources';
import { log } from './bench/config';

/**
 * `npm run soak` (docs/operations.md, "Soak"): the gateway and the three subgraphs as separate processes (production
 * mode) on loopback, against a Postgres of its own, under SOAK_CONCURRENCY clients sending the smoke suite's queries
 * without pause for SOAK_SECONDS. Every answer must equal its expected JSON; every process's RSS, taken after the
 * warm-up and at the end, must not grow by more than SOAK_RSS_GROWTH_MB. Exit 0 only if both hold.
 */

const intEnv = (name: string, fallback: number, min: number) => {
  const raw = process.env[name]?.trim();
  if (!raw) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) throw new Error(`${name}=${raw} must be an integer >= ${min}`);
  return n;
};
const SECONDS = intEnv('SOAK_SECONDS', 180, 10);
const CONCURRENCY = intEnv('SOAK_CONCURRENCY', 8, 1);
const RSS_GROWTH_MB = intEnv('SOAK_RSS_GROWTH_MB', 64, 1);
/** Memory is compared from here on: before it, caches, JIT and pools are still filling. */
const WARMUP_SECONDS = Math.min(30, Math.floor(SECONDS / 5));
/** Start-up, seeding and teardown on top of the run itself; past it the soak stops and fails. */
const DEADLINE_MS = (SECONDS + 240) * 1000;

/** The smoke queries that answer without errors (the error cases are the hardening tests' job), with their answers. */
function workload(): Array<{ name: string; query: string; data: unknown }> {
  const dir = fromRoot('test/queries');
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.graphql'))
    .sort()
    .map((f) => ({
      name: f.replace(/\.graphql$/, ''),
      query: fs.readFileSync(path.join(dir, f), 'utf8'),
      expected: JSON.parse(fs.readFileSync(path.join(dir, f.replace(/\.graphql$/, '.expected.json')), 'utf8')) as {
        data?: unknown;
        errors?: unknown;
      },
    }))
    .filter((q) => !q.expected.errors)
    .map((q) => ({ name: q.name, query: q.query, data: q.expected.data }));
}

function rssMb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Math.round(Number(/^VmRSS:\s+(\d+) kB/m.exec(status)?.[1] ?? 0) / 1024);
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;

async function main(): Promise<number> {
  console.log(`soak: ${SECONDS} s at concurrency ${CONCURRENCY} (warm-up ${WARMUP_SECONDS} s, RSS growth limit ${RSS_GROWTH_MB} MB per process)`);
  held.phase = 'starting Postgres';
  const url = await openDatabase();
  held.phase = 'seeding';
  await seedAll(url, fromRoot('seeds'), log);
  held.phase = 'starting the services';
  const stack = await startProcessStack(url, { env: { NODE_ENV: 'production', RATE_LIMIT_PER_MINUTE: '0' } });
  held.stack = stack;
  const gateway = stack.gatewayUrls[0];
  const queries = workload();
  const pids = stack.pids();
  console.log(`  ${queries.length} queries in the mix; services: ${Object.keys(pids).join(', ')}`);

  held.phase = 'soaking';
  const latencies: number[] = [];
  const failures = new Map<string, number>();
  let requests = 0;
  let warmRss: Record<string, number> | undefined;
  const began = performance.now();
  const end = began + SECONDS * 1000;
  const fail = (what: string) => failures.set(what, (failures.get(what) ?? 0) + 1);
  const client = async (offset: number) => {
    for (let i = offset; performance.now() < end; i++) {
      const q = queries[i % queries.length];
      const t0 = performance.now();
      try {
        const response = await fetch(gateway, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...authHeaders() },
          body: JSON.stringify({ query: q.query }),
          signal: AbortSignal.timeout(30_000),
        });
        const body = (await response.json()) as GraphQLResponse;
        if (response.status !== 200) fail(`${q.name}: HTTP ${response.status}`);
        else if (body.errors) fail(`${q.name}: ${body.errors[0].message}`);
        else if (!isDeepStrictEqual(body.data, q.data)) fail(`${q.name}: answer differs from its expected JSON`);
      } catch (err) {
        fail(`${q.name}: ${(err as Error).message}`);
      }
      requests++;
      if (performance.now() - began > WARMUP_SECONDS * 1000) latencies.push(performance.now() - t0);
    }
  };
  const warm = setTimeout(() => {
    warmRss = Object.fromEntries(Object.entries(pids).map(([name, pid]) => [name, rssMb(pid)]));
  }, WARMUP_SECONDS * 1000);
  const progress = setInterval(() => console.log(`  ${Math.round((performance.now() - began) / 1000)} s: ${requests} requests`), 30_000);
  await Promise.all(Array.from({ length: CONCURRENCY }, (_, i) => client(i)));
  clearTimeout(warm);
  clearInterval(progress);
  const endRss = Object.fromEntries(Object.entries(pids).map(([name, pid]) => [name, rssMb(pid)]));
  const seconds = (performance.now() - began) / 1000;

  held.phase = 'cleaning up';
  await cleanup();

  const sorted = [...latencies].sort((a, b) => a - b);
  const errors = [...failures.values()].reduce((a, b) => a + b, 0);
  console.log(`\nrequests: ${requests} in ${seconds.toFixed(0)} s (${(requests / seconds).toFixed(1)}/s), errors: ${errors}`);
  console.log(
    `latency after warm-up (ms): p50 ${percentile(sorted, 50).toFixed(0)}, p95 ${percentile(sorted, 95).toFixed(0)}, p99 ${percentile(sorted, 99).toFixed(0)}, max ${(sorted.at(-1) ?? 0).toFixed(0)}`,
  );
  const grown: string[] = [];
  console.log('RSS (MB) after warm-up → end:');
  for (const name of Object.keys(pids)) {
    const [from, to] = [warmRss?.[name] ?? 0, endRss[name]];
    console.log(`  ${name.padEnd(16)} ${String(from).padStart(5)} → ${String(to).padStart(5)} (${to - from >= 0 ? '+' : ''}${to - from})`);
    if (to - from > RSS_GROWTH_MB) grown.push(`${name} grew ${to - from} MB`);
  }
  for (const [what, n] of failures) console.error(`  error ×${n}: ${what}`);
  if (errors || grown.length || !warmRss) {
    console.error(
      `\nsoak FAILED: ${[errors ? `${errors} errors` : '', ...grown, warmRss ? '' : 'the run ended before the warm-up'].filter(Boolean).join('; ')}`,
    );
    return 1;
  }
  console.log('\nsoak passed: no errors, memory flat');
  return 0;
}

const deadline = setTimeout(() => {
  console.error(`soak: deadline of ${DEADLINE_MS / 1000} s reached while ${held.phase}`);
  void cleanup().finally(() => process.exit(2));
}, DEADLINE_MS);
deadline.unref();
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    console.error(`soak: ${signal}, cleaning up`);
    void cleanup().finally(() => process.exit(130));
  });
}
main().then(
  (code) => process.exit(code),
  async (err: unknown) => {
    console.error(`soak failed while ${held.phase}: ${(err as Error).message}`);
    await cleanup();
    process.exit(1);
  },
);
