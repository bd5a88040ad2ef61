import fs from 'node:fs';
import path from 'node:path';
import { SCOPES } from '../../common/core/scopes';
import { DOMAINS, type Domain } from '../../common/core/domain';
import { fromRoot } from '../../common/platform/paths';
import { newSecret } from '../../common/platform/security/gateway-signature';
import { freePort } from '../../common/platform/server/http';
import { childEnv, startNode, type Spawned } from '../../test/helpers/processes';
import { TEST_API_KEY } from '../../test/helpers/stack';
import { within } from '../../test/helpers/wait';
import { log } from './config';
import { scratchDir } from './resources';

/** The four systems of the comparison (docs/bench.md). */
export const SYSTEMS = ['gateway', 'monolith', 'raw-sql', 'hive-gateway'] as const;
export type SystemName = (typeof SYSTEMS)[number];

/** A finance-only partner key, for scenario (d). */
export const FINANCE_API_KEY = 'atlas_bench_finance_only_0123456789abcdef';

export interface System {
  name: SystemName;
  /** Where requests go: /graphql, or the raw-sql server's /. */
  url: string;
  /** The process that answers (its RSS, with its children's, is the system's rss_mb). */
  pid: number;
  /** The subgraph processes behind it (gateway, hive-gateway). */
  subgraphPids: number[];
  /** The process's output so far (its logs: LOG_LEVEL / BENCH_LOG_LEVEL), to explain a failure. */
  output(): string;
}

export interface Systems {
  all: System[];
  stop(): Promise<void>;
}

/** Polls `check` until it resolves true; rejects naming `what` with the process output after `timeoutMs`. */
async function until(check: () => Promise<boolean>, what: string, spawned: Spawned, timeoutMs = 60_000): Promise<void> {
  const poll = async () => {
    for (;;) {
      if (spawned.child.exitCode !== null) throw new Error(`${what} exited:\n${spawned.output().slice(-3000)}`);
      if (await check().catch(() => false)) return;
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  await within(poll(), timeoutMs, what, () => spawned.output().slice(-3000));
}

const answers = (url: string, init?: RequestInit) => async () => (await fetch(url, { ...init, signal: AbortSignal.timeout(2000) })).ok;

/** SIGTERM, then SIGKILL after 3 s: every process the bench starts is gone when it ends. */
async function stopProcess(spawned: Spawned): Promise<void> {
  if (spawned.child.exitCode !== null || spawned.child.signalCode !== null) return;
  spawned.child.kill('SIGTERM');
  const timer = setTimeout(() => spawned.child.kill('SIGKILL'), 3_000);
  await spawned.exited();
  clearTimeout(timer);
}

/**
 * The supergraph Hive Gateway is given: schema/supergraph.graphql, pointed at this run's subgraphs (Hive reads the
 * URLs from the file), minus ONE field no scenario asks for. Hive Gateway 2.15 (with either planner) refuses the file
 * as it is: `Multiple canonical definitions for "DerivedMetric"` (@graphql-tools/stitch makes the return type of each
 * @requires field canonical, and two subgraphs have one returning DerivedMetric). Dropping infrastructure's
 * `Locality.smartphoneUsersPerActivatedEid` (and infrastructure's claim on DerivedMetric) leaves one; the rest is the
 * file our gateway serves, byte for byte.
 */
export function hiveSupergraph(sdl: string, ports: Record<Domain, number>): string {
  let out = sdl;
  for (const d of DOMAINS) out = out.replace(new RegExp(`(@join__graph\\(name: "${d}", url: ")[^"]+`), `$1http://127.0.0.1:${ports[d]}/graphql`);
  const field = /\n {2}"""[^"]*"""\n {2}smartphoneUsersPerActivatedEid: DerivedMetric @join__field\(graph: INFRASTRUCTURE[^\n]*\n/;
  const claim = /(type DerivedMetric\n {2}@join__type\(graph: FINANCE\)\n) {2}@join__type\(graph: INFRASTRUCTURE\)\n/;
  if (!field.test(out) || !claim.test(out))
    throw new Error('hiveSupergraph: schema/supergraph.graphql changed; revisit the DerivedMetric workaround');
  return out.replace(field, '\n').replace(claim, '$1');
}

/**
 * Starts, as separate processes on free loopback ports against `databaseUrl`: the three subgraphs (as `npm start`
 * runs them), our gateway, Hive Gateway (on a copy of schema/supergraph.graphql pointing at these subgraphs),
 * the monolith and the raw-sql server. All stay up for the whole comparison; each is measured in turn.
 */
export async function startSystems(databaseUrl: string): Promise<Systems> {
  const started: Spawned[] = [];
  // Whatever happens to the bench (deadline, signal, crash), no system outlives it.
  const killAll = () => started.forEach((s) => s.child.exitCode === null && s.child.signalCode === null && s.child.kill('SIGKILL'));
  process.once('exit', killAll);
  const stop = async () => {
    await Promise.all(started.map(stopProcess));
    process.removeListener('exit', killAll);
  };
  try {
    const secret = newSecret();
    const dir = scratchDir();
    const keyFile = path.join(dir, 'bench-api-keys.json');
    fs.writeFileSync(
      keyFile,
      JSON.stringify([
        { name: 'bench-analyst', key: TEST_API_KEY, scopes: [...SCOPES] },
        { name: 'bench-finance-partner', key: FINANCE_API_KEY, scopes: ['finance'] },
      ]),
      { mode: 0o600 },
    );
    const level = process.env.BENCH_LOG_LEVEL || 'warn';
    const ports = Object.fromEntries(await Promise.all(DOMAINS.map(async (d) => [d, await freePort()]))) as Record<Domain, number>;
    const common = {
      DATABASE_URL: databaseUrl,
      GATEWAY_SECRET: secret,
      LOG_LEVEL: level,
      MIGRATE_ON_START: 'false',
      SEED_ON_START: 'false',
      DB_POOL_SIZE: '8',
      IDENTITY_PORT: String(ports.identity),
      FINANCE_PORT: String(ports.finance),
      INFRASTRUCTURE_PORT: String(ports.infrastructure),
    };
    const subgraphs: Spawned[] = [];
    for (const domain of DOMAINS) {
      const s = startNode([fromRoot(`dist/subgraphs/${domain}/index.js`)], childEnv({ ...common, NODE_ENV: 'production' }));
      started.push(s);
      subgraphs.push(s);
    }
    await Promise.all(DOMAINS.map((d, i) => until(answers(`http://127.0.0.1:${ports[d]}/ready`), `${d} subgraph`, subgraphs[i])));
    const subgraphPids = subgraphs.map((s) => s.child.pid!);

    const gatewayPort = await freePort();
    // BENCH_CPU_PROF=<dir>: the gateway writes a V8 CPU profile there when it stops (open it in Chrome DevTools).
    const profile = process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [];
    const gateway = startNode(
      [...profile, fromRoot('dist/gateway/index.js')],
      childEnv({
        ...common,
        NODE_ENV: 'production',
        PORT: String(gatewayPort),
        API_KEYS_FILE: keyFile,
        // Its own schema (rate-limit buckets, audit trail): seedAll migrates only the three domains'. Without it every
        // request paid a failing upsert and a logged stack trace, and no audit record was written.
        MIGRATE_ON_START: 'true',
        // No limit, so the load is not throttled: both budgets off (a cost budget alone still counts every request in Postgres).
        RATE_LIMIT_PER_MINUTE: '0',
        RATE_LIMIT_COST_PER_MINUTE: '0',
        DB_POOL_SIZE: '4',
      }),
    );
    started.push(gateway);

    const supergraph = path.join(dir, 'bench-supergraph.graphql');
    fs.writeFileSync(supergraph, hiveSupergraph(fs.readFileSync(fromRoot('schema/supergraph.graphql'), 'utf8'), ports));
    const hivePort = await freePort();
    const hive = startNode(
      [
        fromRoot('node_modules/@graphql-hive/gateway/dist/bin.js'),
        'supergraph',
        supergraph,
        '--no-masked-errors',
        '--config-path',
        fromRoot('dist/scripts/bench/hive-gateway.config.js'),
        '--host',
        '127.0.0.1',
        '--port',
        String(hivePort),
      ],
      childEnv({ GATEWAY_SECRET: secret, NODE_ENV: 'production' }),
    );
    started.push(hive);

    const monolithPort = await freePort();
    const monolith = startNode([fromRoot('dist/scripts/bench/monolith.js'), databaseUrl, String(monolithPort)], childEnv({ LOG_LEVEL: level }));
    started.push(monolith);
    const rawPort = await freePort();
    const raw = startNode([fromRoot('dist/scripts/bench/raw-sql.js'), databaseUrl, String(rawPort)], childEnv({}));
    started.push(raw);

    const graphqlUp = (url: string) =>
      answers(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${TEST_API_KEY}` },
        body: JSON.stringify({ query: '{ __typename }' }),
      });
    const all: System[] = [
      {
        name: 'gateway',
        url: `http://127.0.0.1:${gatewayPort}/graphql`,
        pid: gateway.child.pid!,
        subgraphPids,
        output: () => gateway.output() + subgraphs.map((x) => x.output()).join(''),
      },
      {
        name: 'monolith',
        url: `http://127.0.0.1:${monolithPort}/graphql`,
        pid: monolith.child.pid!,
        subgraphPids: [],
        output: () => monolith.output(),
      },
      { name: 'raw-sql', url: `http://127.0.0.1:${rawPort}/`, pid: raw.child.pid!, subgraphPids: [], output: () => raw.output() },
      {
        name: 'hive-gateway',
        url: `http://127.0.0.1:${hivePort}/graphql`,
        pid: hive.child.pid!,
        subgraphPids,
        output: () => hive.output() + subgraphs.map((x) => x.output()).join(''),
      },
    ];
    await Promise.all([
      until(graphqlUp(all[0].url), 'gateway', gateway),
      until(graphqlUp(all[1].url), 'monolith', monolith),
      until(answers(all[2].url, { method: 'POST', body: JSON.stringify({ scenario: 'e' }) }), 'raw-sql server', raw),
      until(graphqlUp(all[3].url), 'hive-gateway', hive),
    ]);
    log.info({ systems: all.map((s) => s.url) }, 'systems up');
    return { all, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** Resident memory of a process and all its descendants (Hive Gateway may fork workers), in MB; 0 once gone. */
export function rssMb(pid: number): number {
  let kb = 0;
  const visit = (p: number) => {
    try {
      const status = fs.readFileSync(`/proc/${p}/status`, 'utf8');
      kb += Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
      for (const task of fs.readdirSync(`/proc/${p}/task`)) {
        const children = fs.readFileSync(`/proc/${p}/task/${task}/children`, 'utf8').trim();
        for (const c of children ? children.split(/\s+/) : []) visit(Number(c));
      }
    } catch {
      // gone between the reads
    }
  };
  visit(pid);
  return Math.round(kb / 1024);
}
