import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { DataSource } from 'typeorm';
import type { RequestContext } from '../../common/core/context';
import { DOMAINS } from '../../common/core/domain';
import { LocalityLevel } from '../../common/core/locality/locality-level';
import { SCOPES } from '../../common/core/scopes';
import { openDomainDatabase } from '../../common/data/database/data-source';
import type { RankingQuery } from '../../common/data/ranking/ranking.service';
import { createDomainData, type DomainData } from '../../common/data/services';
import { createTestDatabase, withClient } from '../helpers/database';
import {
  ACCOUNT_RATE,
  COVERAGE_4G,
  EID_RATE,
  expectedRanking,
  loadNationalFigures,
  type ExpectedNode,
  type NationalFigures,
} from '../helpers/ranking-data';
import { graphql, startStack, type Stack } from '../helpers/stack';

type Values = { observations: Array<{ value: number }> };
interface GatewayRanking {
  totalCount: number;
  nodes: Array<{ rank: number; value: number; locality: { code: string; identity: Values; finance: Values; infrastructure: Values } }>;
}

/** rankLocalities at national scale: 10,047 communes × three domains of synthetic figures, loaded through the import. */
describe('cross-domain ranking at national scale', () => {
  let url: string;
  let dir: string;
  let figures: NationalFigures;
  let db: DataSource;
  let data: DomainData;
  let communes: string[];
  let sonLa: string[];

  let postReformCommunes = 0;
  beforeAll(async () => {
    url = await createTestDatabase('ranking_national');
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'atlas-ranking-'));
    figures = await loadNationalFigures(url, dir);
    db = await openDomainDatabase({ url, schema: 'finance', poolSize: 2, applicationName: 'atlas-ranking-test' });
    data = createDomainData('finance', db);
    const scope = (parent?: string) =>
      withClient(url, async (c) =>
        (
          await c.query<{ code: string }>(
            // The figures are for pre-reform communes; post-reform ones (issue 10) are in the ranking's scope without figures.
            `SELECT code FROM finance.locality WHERE level = 'COMMUNE' AND valid_from IS NULL AND ($1::text IS NULL OR ancestor_codes @> ARRAY[$1]) ORDER BY code`,
            [parent ?? null],
          )
        ).rows.map((r) => r.code),
      );
    communes = await scope();
    sonLa = await scope('14');
    postReformCommunes = await withClient(url, async (c) =>
      Number(
        (await c.query<{ n: string }>(`SELECT count(*) AS n FROM finance.locality WHERE level = 'COMMUNE' AND valid_from IS NOT NULL`)).rows[0].n,
      ),
    );
  }, 120_000);
  afterAll(async () => {
    await db?.destroy();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  const context = (scopes: readonly string[] = SCOPES): RequestContext => ({
    requestId: 'ranking-test',
    caller: { kind: 'anonymous', name: 'test' },
    scopes,
    loaders: data.createLoaders(),
  });

  /** Every page of a ranking, following endCursor; returns the nodes and each page's counts. */
  async function allPages(query: Omit<RankingQuery, 'after'>) {
    const nodes: ExpectedNode[] = [];
    const counts = new Set<string>();
    let after: string | null = null;
    for (let pages = 0; pages < 100; pages++) {
      const page = await data.services.ranking.rank(context(), { ...query, after });
      nodes.push(...page.nodes.map((n) => ({ code: n.locality.code, value: n.value, rank: n.rank })));
      counts.add(`${page.totalCount}/${page.missingCount}`);
      if (!page.pageInfo.hasNextPage) return { nodes, counts: [...counts] };
      after = page.pageInfo.endCursor;
    }
    throw new Error('more than 100 pages');
  }

  it('has the data it claims: every commune, ties in the ranked values, some communes without the ranked figure', () => {
    expect(communes).toHaveLength(10_047);
    expect(sonLa).toHaveLength(200);
    const values = [...figures.latest.get(EID_RATE.code)!.values()];
    expect(values).toHaveLength(10_047 - figures.withoutEidRate.size);
    expect(new Set(values).size).toBeLessThan(values.length - 1000);
  });

  it('ranks all 10,047 communes by eID rate where the account rate is below 80 %, page after page, as computed independently', async () => {
    const filters = [{ indicator: ACCOUNT_RATE.code, test: (v: number) => v < 80 }];
    const expected = expectedRanking(figures.latest, EID_RATE.code, true, communes, filters);
    const { nodes, counts } = await allPages({
      by: EID_RATE.code,
      level: LocalityLevel.COMMUNE,
      where: [{ indicator: ACCOUNT_RATE.code, lt: 80 }],
      first: 1000,
    });
    expect(expected.length).toBeGreaterThan(5000);
    expect(expected.some((n, i) => i > 0 && expected[i - 1].rank === n.rank)).toBe(true);
    expect(nodes).toEqual(expected);
    // Places without an eID rate are left out and counted, whatever the filters.
    expect(postReformCommunes).toBe(3321);
    expect(counts).toEqual([`${expected.length}/${figures.withoutEidRate.size + postReformCommunes}`]);
  });

  it('with asOf, ranks and counts only the units in force on that date, as localities(asOf) does', async () => {
    const filters = [{ indicator: ACCOUNT_RATE.code, test: (v: number) => v < 80 }];
    const expected = expectedRanking(figures.latest, EID_RATE.code, true, communes, filters);
    const query = { by: EID_RATE.code, level: LocalityLevel.COMMUNE, where: [{ indicator: ACCOUNT_RATE.code, lt: 80 }], first: 1000 };
    const before = await allPages({ ...query, asOf: new Date('2025-03-01') });
    expect(before.nodes).toEqual(expected);
    // Only the pre-reform communes without an eID rate are missing: the 3,321 post-reform ones are out of scope.
    expect(before.counts).toEqual([`${expected.length}/${figures.withoutEidRate.size}`]);
    const after = await data.services.ranking.rank(context(), { ...query, asOf: new Date('2025-07-01') });
    expect({ totalCount: after.totalCount, missingCount: after.missingCount, nodes: after.nodes }).toEqual({
      totalCount: 0,
      missingCount: postReformCommunes,
      nodes: [],
    });
    // The cursor carries the date: a page of the 2025-03-01 ranking does not continue the ranking of every vintage.
    const page = await data.services.ranking.rank(context(), { ...query, asOf: new Date('2025-03-01'), first: 2 });
    await expect(data.services.ranking.rank(context(), { ...query, after: page.pageInfo.endCursor })).rejects.toMatchObject({
      extensions: { code: 'BAD_USER_INPUT', argument: 'after' },
    });
  });

  it('ranks the 200 communes of Sơn La ascending with filters on two other domains, in pages of 7', async () => {
    const expected = expectedRanking(figures.latest, EID_RATE.code, false, sonLa, [
      { indicator: ACCOUNT_RATE.code, test: (v) => v <= 90 },
      { indicator: COVERAGE_4G.code, test: (v) => v > 15 && v < 95 },
    ]);
    const { nodes } = await allPages({
      by: EID_RATE.code,
      order: 'ASC',
      level: LocalityLevel.COMMUNE,
      parentCode: '14',
      where: [
        { indicator: ACCOUNT_RATE.code, lte: 90 },
        { indicator: COVERAGE_4G.code, gt: 15, lt: 95 },
      ],
      first: 7,
    });
    expect(expected.length).toBeGreaterThan(100);
    expect(nodes).toEqual(expected);
  });

  it('ranks by the latest period (2024), not an earlier one, and reports that period', async () => {
    const page = await data.services.ranking.rank(context(), { by: EID_RATE.code, level: LocalityLevel.COMMUNE, parentCode: '14', first: 3 });
    expect(page.nodes.map((n) => n.period)).toEqual(
      Array(3).fill({ start: '2024-01-01', end: '2024-12-31', date: '2024-12-31', label: 'Year 2024' }),
    );
  });

  it('refuses a cursor of another ranking, and a made-up one', async () => {
    const page = await data.services.ranking.rank(context(), { by: EID_RATE.code, level: LocalityLevel.COMMUNE, first: 2 });
    const other = { by: EID_RATE.code, level: LocalityLevel.COMMUNE, order: 'ASC' as const, after: page.pageInfo.endCursor };
    await expect(data.services.ranking.rank(context(), other)).rejects.toMatchObject({ extensions: { code: 'BAD_USER_INPUT', argument: 'after' } });
    const forged = { by: EID_RATE.code, level: LocalityLevel.COMMUNE, after: Buffer.from('offset:40').toString('base64url') };
    await expect(data.services.ranking.rank(context(), forged)).rejects.toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });
  });

  it('a caller without a domain scope can neither sort nor filter by that domain', async () => {
    const financeOnly = context(['finance']);
    const rank = (query: RankingQuery) => data.services.ranking.rank(financeOnly, query);
    await expect(rank({ by: EID_RATE.code, level: LocalityLevel.COMMUNE })).rejects.toMatchObject({
      message: `by (${EID_RATE.code}) needs the identity scope, which this caller does not have`,
      extensions: { code: 'FORBIDDEN' },
    });
    await expect(
      rank({ by: ACCOUNT_RATE.code, level: LocalityLevel.COMMUNE, where: [{ indicator: COVERAGE_4G.code, gt: 50 }] }),
    ).rejects.toMatchObject({
      message: `where[0].indicator (${COVERAGE_4G.code}) needs the infrastructure scope, which this caller does not have`,
      extensions: { code: 'FORBIDDEN' },
    });
    const own = await rank({ by: ACCOUNT_RATE.code, level: LocalityLevel.COMMUNE, where: [{ indicator: ACCOUNT_RATE.code, gte: 50 }], first: 1 });
    expect(own.totalCount).toBe(
      expectedRanking(figures.latest, ACCOUNT_RATE.code, true, communes, [{ indicator: ACCOUNT_RATE.code, test: (v) => v >= 50 }]).length,
    );
  });

  it.each([
    [{ by: 'identity.nope' }, 'UNKNOWN_INDICATOR'],
    [{ where: [{ indicator: 'finance.nope', lt: 3 }] }, 'UNKNOWN_INDICATOR'],
    [{ parentCode: '99999' }, 'UNKNOWN_LOCALITY'],
    [{ parentCode: '14815' }, 'BAD_USER_INPUT'],
    [{ where: [{ indicator: ACCOUNT_RATE.code, gt: -1 }] }, 'BAD_USER_INPUT'],
    [{ where: [{ indicator: ACCOUNT_RATE.code }] }, 'BAD_USER_INPUT'],
    [{ first: 1001 }, 'BAD_USER_INPUT'],
  ] as Array<[Partial<RankingQuery>, string]>)('refuses %j with %s', async (query, code) => {
    const full: RankingQuery = { by: EID_RATE.code, level: LocalityLevel.COMMUNE, ...query };
    await expect(data.services.ranking.rank(context(), full)).rejects.toMatchObject({ extensions: { code } });
  });

  it('the read model holds exactly the latest whole-unit observation of each pair, in the order observations(latest: true) uses', async () => {
    for (const schema of DOMAINS) {
      const latest = `SELECT DISTINCT ON (o.locality_code, o.indicator_code) o.locality_code, o.indicator_code, o.id, o.value
          FROM "${schema}".observation o JOIN "${schema}".source s ON s.id = o.source_id
         WHERE o.part_of_unit IS NULL
         ORDER BY o.locality_code, o.indicator_code, coalesce(o.period_end, o.period_start) DESC NULLS LAST, o.period_start DESC NULLS LAST,
                  s.published_at DESC NULLS LAST, o.id DESC`;
      const model = `SELECT locality_code, indicator_code, observation_id, value FROM "${schema}".latest_observation`;
      const row = await withClient<{ extra: number; missing: number; n: number }>(
        url,
        async (c) =>
          (
            await c.query<{
              extra: number;
              missing: number;
              n: number;
            }>(`SELECT (SELECT count(*) FROM ((${model}) EXCEPT (${latest})) a)::int AS extra,
                                (SELECT count(*) FROM ((${latest}) EXCEPT (${model})) b)::int AS missing,
                                (SELECT count(*) FROM "${schema}".latest_observation)::int AS n`)
          ).rows[0],
      );
      expect({ schema, extra: row.extra, missing: row.missing }).toEqual({ schema, extra: 0, missing: 0 });
      expect(row.n).toBeGreaterThan(schema === 'identity' ? 9000 : 10_000);
    }
  });

  describe('through the gateway', () => {
    let stack: Stack;
    beforeAll(async () => {
      stack = await startStack(url);
    });
    afterAll(async () => {
      await stack?.stop();
    });

    const latest = (code: string) => `observations(indicators: ["${code}"], latest: true) { value }`;
    const query = (
      first: number,
    ) => `{ rankLocalities(by: "${EID_RATE.code}", level: COMMUNE, where: [{ indicator: "${ACCOUNT_RATE.code}", lt: 80 }], first: ${first}) {
      totalCount missingCount pageInfo { hasNextPage endCursor }
      nodes { rank value period { end } locality { code name parent { name }
        identity { ${latest(EID_RATE.code)} } finance { ${latest(ACCOUNT_RATE.code)} } infrastructure { ${latest(COVERAGE_4G.code)} } } } } }`;

    it('answers the first page of the national ranking with every domain joined, at a constant SQL cost per request', async () => {
      await graphql(stack.gatewayUrl, query(1)); // warms the catalogue caches
      const expected = expectedRanking(figures.latest, EID_RATE.code, true, communes, [{ indicator: ACCOUNT_RATE.code, test: (v) => v < 80 }]);
      const statements: Record<number, number> = {};
      for (const first of [5, 200]) {
        stack.resetSqlCount();
        const body = await graphql<{ rankLocalities: GatewayRanking }>(stack.gatewayUrl, query(first));
        expect(body.errors).toBeUndefined();
        statements[first] = DOMAINS.reduce((n, d) => n + stack.sqlCount[d], 0);
        const ranking = body.data!.rankLocalities;
        expect(ranking.totalCount).toBe(expected.length);
        expect(ranking.nodes.map((n) => ({ code: n.locality.code, rank: n.rank }))).toEqual(
          expected.slice(0, first).map(({ code, rank }) => ({ code, rank })),
        );
        for (const node of ranking.nodes) {
          expect(node.locality.identity.observations).toEqual([{ value: node.value }]);
          expect(node.locality.finance.observations[0].value).toBeLessThan(80);
          expect(node.locality.infrastructure.observations).toEqual([
            { value: Number(figures.latest.get(COVERAGE_4G.code)!.get(node.locality.code)) },
          ]);
        }
      }
      if (process.env.SHOW_SQL_COUNTS) console.log(JSON.stringify(statements));
      expect(statements[200]).toBe(statements[5]);
      expect(statements[5]).toBeLessThanOrEqual(8);
    });
  });
});
