import { performance } from 'node:perf_hooks';
import { communesOf14 } from '../../test/helpers/queries';
import { authHeaders, startStack, type Stack } from '../../test/helpers/stack';
import { CONCURRENCY, log, remaining, REQUESTS, SCENARIO_BUDGET_MS, TEARDOWN_RESERVE_MS, TRACE_SQL, WARMUP } from './config';
import { report, round, type LatencyResult } from './report';
import { held } from './resources';

interface Scenario<T = unknown> {
  name: string;
  query: string;
  /** Throws if a response does not look right (wrong data is not a benchmark). */
  check(data: T | undefined): void;
}

/** A scenario whose check reads the answer in the shape its query asks for (methods are bivariant, so it fits `Scenario`). */
const scenario = <T>(s: Scenario<T>): Scenario => s;

interface Counted {
  observationCount: number | null;
}
interface Node {
  code: string;
  identity: Counted | null;
  infrastructure: Counted | null;
}

const OBS = 'value qualifier indicator { code unit } period { start end label } source { title url }';

const SCENARIOS: Scenario[] = [
  scenario<{ localities: { nodes: Node[] } }>({
    name: 'acceptance: search "son la"',
    query: `{ localities(search: "son la", first: 5) { totalCount nodes { code name level parent { name } identity { __typename } finance { __typename } infrastructure { __typename } } } }`,
    check: (d) => {
      if (!d?.localities?.nodes?.length) throw new Error('no localities found for "son la"');
    },
  }),
  scenario<{ locality: Node | null }>({
    name: 'profile: locality 116, all domains',
    query: `{ locality(code: "116") { code name level parent { name }
      identity { observationCount activatedEidAccounts { ${OBS} } eidActivationRate { ${OBS} } }
      finance { observationCount transactionAccountHolders { ${OBS} } transactionAccountRate { ${OBS} } benefitsPaidThroughAccounts { ${OBS} } }
      infrastructure { observationCount baseStations { ${OBS} } fiveGStations { ${OBS} } coverage4g { ${OBS} } fixedBroadbandSubscribers { ${OBS} } mobileBroadbandSubscribers { ${OBS} } } } }`,
    check: (d) => {
      if (d?.locality?.code !== '116') throw new Error('locality 116 not returned');
      if (!((d.locality.infrastructure?.observationCount ?? 0) > 0)) throw new Error('locality 116 has no infrastructure observations');
    },
  }),
  scenario<{ localities: { nodes: Node[] } }>({
    name: 'batching: 200 communes of 14 × 3 domains',
    query: communesOf14(200),
    check: (d) => {
      const nodes = d?.localities?.nodes ?? [];
      if (nodes.length !== 200) throw new Error(`expected 200 communes, got ${nodes.length}`);
      if (nodes.some((n) => n.identity?.observationCount == null || n.infrastructure?.observationCount == null)) {
        throw new Error('a commune lacks its domain profiles');
      }
    },
  }),
  scenario<{ rankLocalities?: { totalCount: number; missingCount: number; nodes: unknown[] } }>({
    // The import phase loaded these two indicators (pickIndicators) for every commune; this ranks all 10,047 (asOf: the registry before the reform).
    name: 'ranking: all communes by eID rate, account rate < 80 %, first 20 × 3 domains',
    query: `{ rankLocalities(by: "identity.eid.activation_rate", level: COMMUNE, asOf: "2025-03-01", where: [{ indicator: "finance.account.transaction_account_rate_15plus", lt: 80 }], first: 20) {
      totalCount missingCount pageInfo { hasNextPage endCursor } nodes { rank value qualifier period { end } locality { code name parent { name }
        identity { observationCount } finance { transactionAccountRate { value } } infrastructure { observationCount } } } } }`,
    check: (d) => {
      const ranking = d?.rankLocalities;
      if (!ranking || ranking.totalCount === 0) throw new Error('the ranking is empty: did the import phase run?');
      if (ranking.nodes.length !== Math.min(20, ranking.totalCount)) throw new Error(`expected a page of 20, got ${ranking.nodes.length}`);
      // Ranked + missing + filtered out = the 10,047 communes in force on that date, so it can never exceed them.
      if (ranking.totalCount + ranking.missingCount > 10_047)
        throw new Error(`more places than the 10,047 communes: ${ranking.totalCount} + ${ranking.missingCount}`);
    },
  }),
];

async function post(url: string, query: string): Promise<{ ms: number; ok: boolean; bytes: number; data: unknown; error?: string }> {
  const t0 = performance.now();
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...authHeaders() },
      body: JSON.stringify({ query }),
    });
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

async function runScenario(url: string, stack: Stack, scenario: Scenario, concurrency: number): Promise<LatencyResult> {
  const budgetMs = Math.min(SCENARIO_BUDGET_MS, Math.max(2_000, remaining() - TEARDOWN_RESERVE_MS));
  // Check the answer and count the SQL statements one request costs (after a first request warmed caches).
  await post(url, scenario.query);
  stack.sql.reset();
  const probe = await post(url, scenario.query);
  const { statements, ms: statementsMs } = stack.sql.tally(...Object.values(stack.applications));
  for (const t of stack.sql.trace ?? []) console.log(`    sql ${t.ms.toFixed(1)} ms: ${t.text}`);
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
    while (issued < REQUESTS && !held.aborting) {
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

/** 2. Latency of each scenario through the gateway, sequential and then `CONCURRENCY` in flight. */
export async function gatewayBenchmark(databaseUrl: string): Promise<void> {
  held.phase = 'starting the gateway stack';
  const t0 = performance.now();
  const stack = await startStack(databaseUrl, { log, traceSql: TRACE_SQL });
  held.stack = stack;
  report.gateway = { startSeconds: round((performance.now() - t0) / 1000), scenarios: [] };
  console.log(`  stack up in ${report.gateway.startSeconds} s at ${stack.gatewayUrl}`);

  const modes = [1, ...(CONCURRENCY > 1 ? [CONCURRENCY] : [])];
  for (const concurrency of modes) {
    for (const scenario of SCENARIOS) {
      if (concurrency > 1 && remaining() < TEARDOWN_RESERVE_MS + 5_000) {
        console.log(`  skipping ${scenario.name} ×${concurrency}: too close to the deadline`);
        continue;
      }
      held.phase = `gateway: ${scenario.name} (${concurrency} in flight)`;
      const r = await runScenario(stack.gatewayUrl, stack, scenario, concurrency);
      if (held.aborting) return; // the stack is being torn down: these numbers are meaningless
      report.gateway.scenarios.push(r);
      console.log(
        `  ${r.name} [${concurrency} in flight]: p50 ${r.ms.p50} ms, p95 ${r.ms.p95} ms, ${r.requestsPerSecond} req/s, ${r.sqlStatementsPerRequest} SQL/request`,
      );
    }
  }
  held.phase = 'stopping the gateway stack';
  held.stack = undefined;
  await stack.stop();
}
