import type { DataSource } from 'typeorm';
import { migrate } from '../../common/data/database/data-source';
import { createGatewayDataSource, openGatewayDatabase } from '../../common/data/gateway/gateway-database';
import { GatewayRepository } from '../../common/data/gateway/gateway.repository';
import { openSubgraphAudit } from '../../common/data/gateway/subgraph-audit';
import { RateLimitCounter } from '../../gateway/access/rate-limit-counter';
import { createEmptyDatabase } from '../helpers/database';
import pino from 'pino';

/** What `typeorm migration:generate` would write: SQL that would make the gateway tables match their entities. */
async function pendingSchemaChanges(db: DataSource): Promise<string[]> {
  return (await db.driver.createSchemaBuilder().log()).upQueries.map((q) => q.query);
}

describe('the gateway schema (migrations 0004, 0006, 0008): entities, shared rate-limit counters, audit batches', () => {
  let url: string;
  const open: DataSource[] = [];
  beforeAll(async () => {
    url = await createEmptyDatabase('gateway_schema');
  });
  afterAll(async () => {
    await Promise.all(open.map((db) => db.destroy()));
  });

  it('migrates once when two gateways start together, and the migrated schema is exactly what the entities describe', async () => {
    const starters = [0, 1].map(() => createGatewayDataSource({ url, poolSize: 1 }));
    open.push(...starters);
    await Promise.all(starters.map((db) => db.initialize()));
    const applied = await Promise.all(starters.map((db) => migrate(db)));
    expect(applied.flat()).toEqual(['Gateway1764000400000', 'RateLimitCost1764000600000', 'AuditSource1764000800000']);
    expect(await pendingSchemaChanges(starters[0])).toEqual([]);
  });

  it('two replicas counting the same key at once agree: every request counted once, no count lost', async () => {
    const replicas = await Promise.all([0, 1].map(() => openGatewayDatabase({ url, poolSize: 4 })));
    open.push(...replicas);
    const [a, b] = replicas.map((db) => new GatewayRepository(db));
    const hits = await Promise.all(Array.from({ length: 40 }, (_, i) => (i % 2 ? a : b).hit('shared-key', 5)));
    const [{ total, cost, buckets }] = await replicas[0].query<Array<{ total: number; cost: number; buckets: number }>>(
      `SELECT sum(requests)::int AS total, sum(cost)::int AS cost, count(*)::int AS buckets FROM rate_limit_bucket WHERE key_name = 'shared-key'`,
    );
    expect(total).toBe(40);
    // The query-cost budget is counted in the same statement: 40 requests of cost 5, none lost.
    expect(cost).toBe(200);
    // Within one calendar minute (almost always), each request saw a different count: exactly 1..40.
    if (buckets === 1) {
      expect(hits.map((h) => h.requests).sort((x, y) => x - y)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
      expect(hits.map((h) => h.cost).sort((x, y) => x - y)).toEqual(Array.from({ length: 40 }, (_, i) => 5 * (i + 1)));
    }
    for (const h of hits) expect(h.secondsLeft).toBeGreaterThan(0);
  });

  it('a replica counts the hits that arrive while its upsert runs in one statement, and each still sees its own count', async () => {
    const replicas = await Promise.all([0, 1].map(() => openGatewayDatabase({ url, poolSize: 4 })));
    open.push(...replicas);
    const repositories = replicas.map((db) => new GatewayRepository(db));
    let statements = 0;
    for (const repository of repositories) {
      const hit = repository.hit.bind(repository);
      repository.hit = (...args) => ((statements += 1), hit(...args));
    }
    const [a, b] = repositories.map((r) => new RateLimitCounter(r));
    const hits = await Promise.all(Array.from({ length: 60 }, (_, i) => (i % 2 ? a : b).hit('grouped-key', i % 3)));
    const [{ total, cost, buckets }] = await replicas[0].query<Array<{ total: number; cost: number; buckets: number }>>(
      `SELECT sum(requests)::int AS total, sum(cost)::int AS cost, count(*)::int AS buckets FROM rate_limit_bucket WHERE key_name = 'grouped-key'`,
    );
    expect(total).toBe(60);
    expect(cost).toBe(60); // twenty each of cost 0, 1 and 2
    // One statement in flight per replica and key: the 58 hits that arrived meanwhile went in a few statements.
    expect(statements).toBeLessThan(10);
    // Within one calendar minute (almost always), every request saw a different count: exactly 1..60, as one by one.
    if (buckets === 1) expect(hits.map((h) => h.requests).sort((x, y) => x - y)).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
    for (const h of hits) expect(h.secondsLeft).toBeGreaterThan(0);
  });

  it('writes an audit batch in one statement, pages it newest first, and prunes past the retention', async () => {
    const db = open[0];
    const repo = new GatewayRepository(db);
    const at = new Date();
    const old = new Date(Date.now() - 40 * 86_400_000);
    const record = (keyName: string | null, when: Date, i: number) => ({
      at: when,
      requestId: `r${i}`,
      keyName,
      operationName: i % 2 ? `Op${i}` : null,
      domains: i % 2 ? ['finance'] : [],
      durationMs: i,
      status: 200,
      errorCodes: i % 3 ? [] : ['FORBIDDEN', 'BAD_USER_INPUT'],
      source: i % 2 ? 'gateway' : 'finance subgraph',
    });
    await repo.insertAudit([...Array.from({ length: 5 }, (_, i) => record('p', at, i)), record(null, old, 9)]);
    const first = await repo.listAudit({ since: new Date(0), keyName: 'p', first: 3 });
    expect(first.entries.map((e) => e.requestId)).toEqual(['r4', 'r3', 'r2']);
    expect(first.hasNextPage).toBe(true);
    const rest = await repo.listAudit({ since: new Date(0), keyName: 'p', first: 3, afterId: first.entries[2].id });
    expect(rest).toMatchObject({
      hasNextPage: false,
      entries: [
        { requestId: 'r1', domains: ['finance'], source: 'gateway' },
        { requestId: 'r0', errorCodes: ['FORBIDDEN', 'BAD_USER_INPUT'], source: 'finance subgraph' },
      ],
    });
    expect(await repo.prune(30)).toMatchObject({ audit: 1 });
    expect((await repo.listAudit({ since: new Date(0), first: 100 })).entries).toHaveLength(5);
    // Past id 9: pages follow the numeric id, not its text ('9' would come before '10'), with or without filters.
    await repo.insertAudit(Array.from({ length: 10 }, (_, i) => record('q', at, 10 + i)));
    expect((await repo.listAudit({ first: 3 })).entries.map((e) => e.requestId)).toEqual(['r19', 'r18', 'r17']);
    const page = await repo.listAudit({ keyName: 'q', first: 4 });
    expect((await repo.listAudit({ keyName: 'q', first: 4, afterId: page.entries[3].id })).entries.map((e) => e.requestId)).toEqual([
      'r15',
      'r14',
      'r13',
      'r12',
    ]);
  });

  it("a subgraph's audit before the gateway has migrated (or without a gateway): logs the lost batch, drops it, never throws", async () => {
    const bare = await createEmptyDatabase('gateway_absent');
    const lines: Array<{ level: number; msg: string; records?: number }> = [];
    const log = pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line) as (typeof lines)[number]) });
    const audit = await openSubgraphAudit({ url: bare, applicationName: 'atlas-identity-audit-test', log });
    try {
      const refused = { at: new Date(), requestId: 'alone', keyName: '(unsigned)', operationName: null, status: 401, durationMs: 1 };
      audit.writer.record({ ...refused, domains: ['identity'], errorCodes: ['SIGNATURE_MISSING', 'UNAUTHENTICATED'], source: 'identity subgraph' });
      await expect(audit.writer.flush()).resolves.toBeUndefined();
      expect(lines).toContainEqual(expect.objectContaining({ level: 50, msg: 'audit batch could not be written; dropped', records: 1 }));
    } finally {
      await audit.close();
    }
  });
});
