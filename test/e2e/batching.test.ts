import type { DataSource } from 'typeorm';
import { DOMAINS } from '../../common/core/domain';
import { openDomainDatabase } from '../../common/data/database/data-source';
import { IMPORT_APPLICATION_NAME, importFiles, observationSeedFiles } from '../../common/data/seed/seed';
import { loadScale, QUICK_SCALE } from '../../common/data/seed/scale';
import { fromRoot } from '../../common/platform/paths';
import { createTestDatabase } from '../helpers/database';
import { SqlCounter } from '../helpers/sql-counter';
import { communesOf14 } from '../helpers/queries';
import { graphql, startStack, type Stack } from '../helpers/stack';
import { useStack } from './stack.fixtures';

/** No N+1: a page of localities with all three profiles costs a few SQL statements per subgraph, whatever its size. */
describe('batching', () => {
  const stack = useStack('batching');

  /** Statements per subgraph for one request of `query` (after `warm`, so both runs measure the same work). */
  const perSubgraph = async (query: string) => {
    stack().resetSqlCount();
    const body = await graphql<{ localities: { totalCount: number; nodes: unknown[] } }>(stack().gatewayUrl, query);
    expect(body.errors).toBeUndefined();
    return { body, counts: { ...stack().sqlCount } };
  };

  const page = (first: number) => `{ localities(level: COMMUNE, parentCode: "14", first: ${first}) {
    nodes { code name parent { name } ancestors { code }
      identity { observationCount activatedEidAccounts { value } }
      finance { observationCount transactionAccountRate { value } }
      infrastructure { observationCount baseStations { value } } } } }`;

  it('a page of 200 communes costs the same handful of queries per subgraph as a page of 5', async () => {
    // Warm the indicator catalogue caches so both runs measure the same work.
    await graphql(stack().gatewayUrl, page(1));
    const counts: Record<number, Record<string, number>> = {};
    for (const first of [5, 200]) {
      const run = await perSubgraph(page(first));
      expect(run.body.data!.localities.nodes).toHaveLength(first);
      counts[first] = run.counts;
    }
    if (process.env.SHOW_SQL_COUNTS) console.log(JSON.stringify(counts));
    for (const domain of DOMAINS) {
      expect(counts[200][domain]).toBe(counts[5][domain]);
      expect(counts[200][domain]).toBeLessThanOrEqual(5);
      // Every subgraph reads at least the localities or their figures: zero would mean the counter is blind.
      expect(counts[200][domain]).toBeGreaterThanOrEqual(1);
    }
  });

  it('README: "200 communes × three profiles: 9 SQL statements in all, the same as for 5 communes"', async () => {
    await graphql(stack().gatewayUrl, communesOf14(1));
    for (const first of [5, 200]) {
      const run = await perSubgraph(communesOf14(first));
      expect(run.body.data!.localities.nodes).toHaveLength(first);
      expect(run.body.data!.localities.totalCount).toBe(200);
      const total = DOMAINS.reduce((n, d) => n + run.counts[d], 0);
      expect({ first, total }).toEqual({ first, total: 9 });
    }
  });
});

/**
 * No N+1 at national scale (issue 13): on the synthetic figures of `npm run seed:scale -- --quick` (every pre-reform
 * unit has figures), a page of 1,000 communes with the three domains' profile fields, latest figures, full series and
 * the derived metrics costs each subgraph exactly the statements a page of 10 does.
 */
describe('batching at national scale: 10 vs 1,000 localities', () => {
  let stack: Stack;
  beforeAll(async () => {
    const url = await createTestDatabase('batching_scale');
    await loadScale(url, QUICK_SCALE);
    stack = await startStack(url);
  });
  afterAll(async () => {
    await stack?.stop();
  });

  interface Figure {
    value: number;
  }
  interface Node {
    code: string;
    identity: { activatedEidAccounts: Figure | null; observations: Figure[] };
    finance: { transactionAccountRate: Figure | null; observations: Figure[] };
    infrastructure: { baseStations: Figure | null; observations: Figure[] };
    transactionAccountHoldersPerActivatedEid: { missing: string[] } | null;
  }
  // Lists name their indicators so that 1,000 nodes stay under the gateway's cost limit (100,000 fields).
  const page = (first: number) => `{ localities(level: COMMUNE, first: ${first}) {
    nodes { code name parent { name }
      identity { observationCount activatedEidAccounts { value period { label } } eidActivationRate { value }
                 observations(latest: true, indicators: ["identity.eid.activated_accounts", "identity.eid.activation_rate"]) { value indicator { code } } }
      finance { observationCount transactionAccountRate { value qualifier }
                observations(indicators: ["finance.account.transaction_account_rate_15plus"]) { value period { label } } }
      infrastructure { observationCount baseStations { value } coverage4g { value }
                       observations(latest: true, indicators: ["infrastructure.stations.base_stations", "infrastructure.coverage.4g_population"]) { value } }
      transactionAccountHoldersPerActivatedEid { value missing } } } }`;

  it('costs each subgraph the same number of SQL statements for 1,000 communes as for 10', async () => {
    await graphql(stack.gatewayUrl, page(1)); // warms the catalogue caches, so both runs do the same work
    const counts: Record<number, Record<string, number>> = {};
    for (const first of [10, 1000]) {
      stack.resetSqlCount();
      const body = await graphql<{ localities: { nodes: Node[] } }>(stack.gatewayUrl, page(first));
      expect(body.errors).toBeUndefined();
      const nodes = body.data!.localities.nodes;
      expect(nodes).toHaveLength(first);
      // The synthetic figures are there: every commune has its headline figures in all three domains.
      expect(nodes.filter((n) => n.identity.activatedEidAccounts && n.finance.transactionAccountRate && n.infrastructure.baseStations)).toHaveLength(
        first,
      );
      expect(nodes.every((n) => n.identity.observations.length === 2 && n.infrastructure.observations.length === 2)).toBe(true);
      expect(nodes.every((n) => n.finance.observations.length >= 1)).toBe(true);
      expect(nodes.every((n) => n.transactionAccountHoldersPerActivatedEid !== null)).toBe(true);
      counts[first] = { ...stack.sqlCount };
    }
    if (process.env.SHOW_SQL_COUNTS) console.log(JSON.stringify(counts));
    for (const domain of DOMAINS) {
      expect({ domain, statements: counts[1000][domain] }).toEqual({ domain, statements: counts[10][domain] });
      expect(counts[10][domain]).toBeGreaterThanOrEqual(1);
    }
  });
});

/** The counter behind those numbers sees every way code reaches Postgres, not only DataSource.query. */
describe('the SQL statement counter', () => {
  const PROBE = 'atlas-counter-probe';
  let url: string;
  let db: DataSource;
  let other: DataSource;
  let sql: SqlCounter;
  beforeAll(async () => {
    url = await createTestDatabase('sql_counter');
    db = await openDomainDatabase({ url, schema: 'infrastructure', poolSize: 2, applicationName: PROBE });
    other = await openDomainDatabase({ url, schema: 'finance', poolSize: 1, applicationName: 'atlas-counter-other' });
    sql = new SqlCounter();
  });
  afterAll(async () => {
    sql?.stop();
    await db?.destroy();
    await other?.destroy();
  });

  const counted = async (work: () => Promise<unknown>, application = PROBE) => {
    sql.reset();
    await work();
    return sql.statements(application);
  };

  it('counts DataSource.query, repositories, the query builder, query runners, transactions and the pg pool', async () => {
    const locality = db.entityMetadatas.find((m) => m.tableName === 'locality');
    expect(locality).toBeDefined();
    expect(await counted(() => db.query('SELECT 1'))).toBe(1);
    expect(await counted(() => db.getRepository(locality!.target).count())).toBe(1);
    expect(await counted(() => db.createQueryBuilder().select('count(*)', 'n').from('locality', 'l').getRawOne())).toBe(1);
    expect(
      await counted(async () => {
        const runner = db.createQueryRunner();
        try {
          await runner.query('SELECT 1');
          await runner.query('SELECT 2');
        } finally {
          await runner.release();
        }
      }),
    ).toBe(2);
    // BEGIN (START TRANSACTION), the statement, COMMIT.
    expect(await counted(() => db.transaction((tx) => tx.query('SELECT 1')))).toBe(3);
    const pool = (db.driver as unknown as { master: { query(text: string): Promise<unknown> } }).master;
    expect(await counted(() => pool.query('SELECT 1'))).toBe(1);
  });

  it('tells connections apart by application_name, and stops counting when stopped', async () => {
    expect(await counted(() => other.query('SELECT 1'))).toBe(0);
    expect(sql.statements('atlas-counter-other')).toBe(1);
    expect(sql.statements()).toBe(1);
    const stopped = new SqlCounter();
    stopped.stop();
    await db.query('SELECT 1');
    expect(stopped.statements()).toBe(0);
  });

  it('counts the import (its own data source and transaction)', async () => {
    // Re-importing the seed figures: begin, registry, catalogue, staging, batches, duplicates, 3 × (search_path, 2 merges), commit.
    const n = await counted(() => importFiles(url, observationSeedFiles(fromRoot('seeds'))), IMPORT_APPLICATION_NAME);
    expect(n).toBeGreaterThanOrEqual(16);
  });
});
