import autocannon from 'autocannon';
import { performance } from 'node:perf_hooks';
import { TEST_API_KEY } from '../../test/helpers/stack';
import { DURATION_S, LOAD_CONCURRENCIES, log, remaining, SCENARIO_FILTER, TEARDOWN_RESERVE_MS } from './config';
import { round, type ComparisonRow } from './report';
import { held } from './resources';
import { oneCommune, scenarios, type BenchScenario } from './scenarios';
import { FINANCE_API_KEY, rssMb, startSystems, SYSTEMS, type System, type SystemName } from './systems';

interface Load {
  url: string;
  headers: Record<string, string>;
  /** Sent in turn by every connection (the pages of (c), to the end and again). */
  bodies: string[];
}

interface Json {
  data?: unknown;
  errors?: Array<{ message: string }>;
}

type Figure = { value: number } | null | undefined;
interface GraphNode {
  code: string;
  identity?: { eidActivationRate?: Figure } | null;
  finance?: { transactionAccountRate?: Figure } | null;
  infrastructure?: { coverage4g?: Figure } | null;
}
interface RawRow {
  code: string;
  value?: number;
  eidActivationRate?: number | null;
  transactionAccountRate?: number | null;
  coverage4g?: number | null;
  totalCount?: number;
}
interface GraphData {
  locality?: GraphNode | null;
  localities?: { totalCount: number; nodes: GraphNode[]; pageInfo?: { hasNextPage: boolean; endCursor: string | null } };
  rankLocalities?: { totalCount: number; nodes: Array<{ value: number; locality: GraphNode }> };
}

const v = (x: number | null | undefined) => (x == null ? 'null' : String(Number(x)));

/** What must be equal in every system's answer: the places, in order, and three of their figures (the ranking: its values). */
function digest(scenario: BenchScenario, system: SystemName, answers: Json[]): string[] {
  if (system === 'raw-sql') {
    const rows = answers.flatMap((a) => a.data as RawRow[]);
    if (scenario.id === 'e') return [`total ${rows[0]?.totalCount ?? 0}`, ...rows.map((r) => v(r.value))];
    return rows.map((r) => `${r.code} ${v(r.eidActivationRate)} ${v(r.transactionAccountRate)} ${v(r.coverage4g)}`);
  }
  const data = answers.map((a) => a.data as GraphData);
  if (scenario.id === 'e') {
    const ranking = data[0].rankLocalities;
    return [`total ${ranking?.totalCount ?? 0}`, ...(ranking?.nodes ?? []).map((n) => v(n.value))];
  }
  const nodes = data.flatMap((d) => (d.locality ? [d.locality] : (d.localities?.nodes ?? [])));
  return nodes.map(
    (n) =>
      `${n.code} ${v(n.identity?.eidActivationRate?.value)} ${v(n.finance?.transactionAccountRate?.value)} ${v(n.infrastructure?.coverage4g?.value)}`,
  );
}

async function postJson(url: string, headers: Record<string, string>, body: string): Promise<Json> {
  const response = await fetch(url, { method: 'POST', headers, body, signal: AbortSignal.timeout(30_000) });
  const json = (await response.json()) as Json;
  if (!response.ok || json.errors?.length) throw new Error(`HTTP ${response.status}: ${json.errors?.[0]?.message ?? 'no message'}`);
  return json;
}

/** The pages of (c): walks the national list once through our gateway, collecting each page's cursor. */
async function pageCursors(gateway: System, scenario: BenchScenario): Promise<Array<string | null>> {
  const cursors: Array<string | null> = [null];
  for (;;) {
    const after = cursors[cursors.length - 1];
    const body = JSON.stringify({ query: scenario.query, variables: { after } });
    const page = (await postJson(gateway.url, headersFor(gateway, scenario), body)).data as GraphData;
    const info = page.localities?.pageInfo;
    if (!info?.hasNextPage || !info.endCursor) return cursors;
    cursors.push(info.endCursor);
  }
}

function headersFor(system: System, scenario: BenchScenario): Record<string, string> {
  if (system.name === 'raw-sql') return { 'content-type': 'application/json' };
  return { 'content-type': 'application/json', authorization: `Bearer ${scenario.key === 'finance' ? FINANCE_API_KEY : TEST_API_KEY}` };
}

function loadFor(system: System, scenario: BenchScenario, cursors: Array<string | null>): Load {
  const headers = headersFor(system, scenario);
  if (system.name === 'raw-sql') {
    const bodies =
      scenario.id === 'c'
        ? cursors.map((_, page) => JSON.stringify({ scenario: 'c', param: page }))
        : [JSON.stringify({ scenario: scenario.id, param: scenario.id === 'a' ? oneCommune() : undefined })];
    return { url: system.url, headers, bodies };
  }
  const bodies =
    scenario.id === 'c'
      ? cursors.map((after) => JSON.stringify({ query: scenario.query, variables: { after } }))
      : [JSON.stringify({ query: scenario.query })];
  return { url: system.url, headers, bodies };
}

function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

/** autocannon at `connections` for `seconds` (or `amount` requests), with every latency kept for exact percentiles. */
async function cannon(load: Load, connections: number, limit: { seconds: number } | { amount: number }) {
  const latencies: number[] = [];
  let instance: autocannon.Instance | undefined;
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    instance = autocannon(
      {
        url: load.url,
        method: 'POST',
        headers: load.headers,
        connections,
        ...('seconds' in limit ? { duration: limit.seconds } : { amount: limit.amount }),
        timeout: 30,
        requests: load.bodies.map((body) => ({ method: 'POST' as const, body })),
      },
      (err, res) => (err ? reject(err as Error) : resolve(res)),
    );
    instance.on('response', (_client, statusCode, _bytes, ms) => {
      if (statusCode < 300) latencies.push(ms);
    });
  });
  return { latencies, result };
}

/**
 * One measurement: a short warm-up, then `DURATION_S` of load at `concurrency`. When the warm-up shows the system
 * cannot serve `max(concurrency, 5)` requests in that time, it is measured on exactly that many requests instead:
 * a timed run that ends with every request still in flight would measure nothing.
 */
async function measure(system: System, scenario: BenchScenario, load: Load, concurrency: number): Promise<ComparisonRow> {
  const warmConnections = Math.min(concurrency, 10);
  const warm = await cannon(load, warmConnections, { amount: Math.max(10, load.bodies.length) });
  // Throughput the warm-up's latencies allow (Little's law), free of autocannon's start-up time.
  const meanMs = warm.latencies.reduce((a, b) => a + b, 0) / Math.max(1, warm.latencies.length);
  const expectedRps = (warmConnections * 1000) / Math.max(1, meanMs);
  const least = Math.max(concurrency, 5);
  const limit = expectedRps * DURATION_S < least ? { amount: least } : { seconds: DURATION_S };
  let rss = 0;
  let subgraphRss = 0;
  const sample = () => {
    rss = Math.max(rss, rssMb(system.pid));
    subgraphRss = Math.max(
      subgraphRss,
      system.subgraphPids.reduce((sum, pid) => sum + rssMb(pid), 0),
    );
  };
  const timer = setInterval(sample, 250);
  const t0 = performance.now();
  const { latencies, result } = await cannon(load, concurrency, limit).finally(() => clearInterval(timer));
  sample();
  const seconds = (performance.now() - t0) / 1000;
  const sorted = latencies.sort((a, b) => a - b);
  return {
    scenario: scenario.name,
    system: system.name,
    concurrency,
    p50_ms: round(percentile(sorted, 50)),
    p95_ms: round(percentile(sorted, 95)),
    p99_ms: round(percentile(sorted, 99)),
    rps: round(latencies.length / seconds, 1),
    rss_mb: rss,
    subgraph_rss_mb: subgraphRss,
    requests: latencies.length,
    errors: result.errors + result.timeouts + result.non2xx,
  };
}

/**
 * 2. The four systems side by side, on the same data, in one run: for each scenario and concurrency, each system in
 * turn (so a load spike on the shared machine hits neighbours, not one system). Before timing, every system's
 * answer is checked against our gateway's (wrong data is not a benchmark).
 */
export async function compareSystems(databaseUrl: string, onRow: (row: ComparisonRow) => void): Promise<ComparisonRow[]> {
  held.phase = 'starting the four systems';
  const t0 = performance.now();
  const systems = await startSystems(databaseUrl);
  held.stack = systems;
  console.log(`  4 systems up in ${round((performance.now() - t0) / 1000)} s: ${systems.all.map((s) => `${s.name} ${s.url}`).join(', ')}`);
  const bySystem = Object.fromEntries(systems.all.map((s) => [s.name, s])) as Record<SystemName, System>;
  const rows: ComparisonRow[] = [];
  try {
    for (const scenario of scenarios().filter((x) => !SCENARIO_FILTER.length || SCENARIO_FILTER.includes(x.id))) {
      held.phase = `checking ${scenario.name}`;
      const cursors = scenario.id === 'c' ? await pageCursors(bySystem.gateway, scenario) : [null];
      const loads = Object.fromEntries(SYSTEMS.map((name) => [name, loadFor(bySystem[name], scenario, cursors)])) as Record<SystemName, Load>;
      let reference: string[] | undefined;
      for (const name of SYSTEMS) {
        const load = loads[name];
        const answers: Json[] = [];
        for (const body of load.bodies) {
          answers.push(
            await postJson(load.url, load.headers, body).catch((err: Error) =>
              Promise.reject(new Error(`${scenario.name} on ${name}: ${err.message}\n${bySystem[name].output().slice(-3000)}`)),
            ),
          );
        }
        const got = digest(scenario, name, answers);
        reference ??= got;
        if (got.join('\n') !== reference.join('\n')) {
          const i = got.findIndex((line, k) => line !== reference![k]);
          throw new Error(
            `${scenario.name}: ${name} answers differently from gateway (line ${i}: "${got[i]}" vs "${reference[i]}", ${got.length} vs ${reference.length} lines)`,
          );
        }
      }
      log.info({ scenario: scenario.name, lines: reference?.length }, 'answers agree');
      for (const concurrency of LOAD_CONCURRENCIES) {
        for (const name of SYSTEMS) {
          if (remaining() < TEARDOWN_RESERVE_MS + DURATION_S * 1000 + 5_000) throw new Error('too close to the deadline to measure more');
          held.phase = `${scenario.name} on ${name} at ${concurrency}`;
          const row = await measure(bySystem[name], scenario, loads[name], concurrency);
          if (held.aborting) return rows;
          rows.push(row);
          onRow(row);
        }
      }
    }
  } finally {
    held.phase = 'stopping the four systems';
    held.stack = undefined;
    await systems.stop();
  }
  return rows;
}
