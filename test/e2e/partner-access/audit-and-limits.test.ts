import { GatewayRepository, type AuditRecord } from '../../../common/data/gateway/gateway.repository';
import { openGatewayDatabase } from '../../../common/data/gateway/gateway-database';
import { AuditLogSource } from '../../../gateway/audit/audit-log-source';
import type { RequestState } from '../../../gateway/access/request-state';
import { createTestDatabase } from '../../helpers/database';
import { graphql, post, startStack, TEST_API_KEY, type GraphQLResponse, type Stack } from '../../helpers/stack';
import { waitUntil } from '../../helpers/wait';
import {
  ALL_DOMAINS_KEY,
  AUDITOR_KEY,
  BANK_DASHBOARD_KEY,
  BANK_DASHBOARD_ORIGIN,
  COST_LIMIT,
  COSTLY_KEY,
  FINANCE_KEY,
  PARTNER_KEYS,
  TYPE_NAMES,
} from './fixtures';

/** An audit record as auditLog answers it in JSON (the time as an ISO string). */
type AuditRow = Omit<AuditRecord, 'at' | 'source'> & { at: string };
interface AuditLogAnswer {
  auditLog: { nodes: AuditRow[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
}

const AUDIT_LOG = `query Audit($since: DateTimeISO, $key: String, $first: Int, $after: String) {
  auditLog(since: $since, key: $key, first: $first, after: $after) {
    nodes { at requestId keyName operationName domains durationMs status errorCodes }
    pageInfo { hasNextPage endCursor }
  }
}`;

/** Issue 11, the rest: Query.auditLog through the graph, cross-domain ranking refused, the query-cost budget, CORS per key. */
describe('the audit log through the graph, ranking scopes, the cost budget and CORS per key', () => {
  let stack: Stack;
  let url: string;
  beforeAll(async () => {
    url = await createTestDatabase('partner_audit');
    stack = await startStack(url, { keys: PARTNER_KEYS });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const auditLog = async (variables: Record<string, unknown>, key = AUDITOR_KEY) => {
    await stack.flushAudit();
    return graphql<AuditLogAnswer>(stack.gatewayUrl, AUDIT_LOG, variables, key);
  };

  async function withBucket(keyName: string): Promise<Array<{ requests: number; cost: string }>> {
    const db = await openGatewayDatabase({ url, poolSize: 1 });
    try {
      return await db.query(`SELECT requests, cost::text AS cost FROM rate_limit_bucket WHERE key_name = $1 ORDER BY window_start DESC LIMIT 1`, [
        keyName,
      ]);
    } finally {
      await db.destroy();
    }
  }

  it('a finance-only key can neither sort nor filter rankLocalities by an identity indicator: FORBIDDEN, no data, no counts', async () => {
    const byIdentity = await post(
      stack.gatewayUrl,
      'query RankByIdentity { rankLocalities(by: "identity.eid.activation_rate", level: COMMUNE, parentCode: "14") { totalCount missingCount nodes { rank } } }',
      undefined,
      FINANCE_KEY,
    );
    expect(byIdentity.status).toBe(200);
    expect(byIdentity.body).toEqual({
      data: null,
      errors: [
        expect.objectContaining({
          message: 'by (identity.eid.activation_rate) needs the identity scope, which this caller does not have',
          path: ['rankLocalities'],
          extensions: expect.objectContaining({ code: 'FORBIDDEN' }) as unknown,
        }),
      ],
    });
    const filterByIdentity = await post(
      stack.gatewayUrl,
      `query FilterByIdentity { rankLocalities(by: "finance.account.transaction_account_rate_15plus", level: COMMUNE, parentCode: "14",
        where: [{ indicator: "identity.eid.activation_rate", gt: 50 }]) { totalCount missingCount } }`,
      undefined,
      FINANCE_KEY,
    );
    expect(filterByIdentity.body.data).toBeNull();
    expect(filterByIdentity.body.errors).toEqual([
      expect.objectContaining({
        message: expect.stringMatching(/^where\[0\]\.indicator .* needs the identity scope/) as unknown,
        extensions: expect.objectContaining({ code: 'FORBIDDEN' }) as unknown,
      }),
    ]);
    // The same ranking on its own domain answers, counts included.
    const own = await graphql<{ rankLocalities: { totalCount: number } }>(
      stack.gatewayUrl,
      '{ rankLocalities(by: "finance.account.transaction_account_rate_15plus", level: PROVINCE, first: 1) { totalCount } }',
      undefined,
      FINANCE_KEY,
    );
    expect(own.errors).toBeUndefined();
    expect(own.data!.rankLocalities.totalCount).toBeGreaterThan(0);
  });

  it('an admin key reads the audit trail through the graph: key names (never keys), operations, domains, status, error codes', async () => {
    await post(stack.gatewayUrl, 'query FinanceFigures { locality(code: "116") { finance { observationCount } } }', undefined, FINANCE_KEY);
    await post(stack.gatewayUrl, 'query Hidden { locality(code: "116") { identity { observationCount } } }', undefined, FINANCE_KEY);
    await post(stack.gatewayUrl, 'query NoKey { locality(code: "116") { name } }', undefined, null, { 'x-request-id': 'audit-no-key' });
    await post(stack.gatewayUrl, '{ locality(code: "116") { name } }', undefined, 'atlas_unknown_key_of_nobody_0000', {
      'x-request-id': 'audit-wrong-key',
    });
    const body = await auditLog({ key: 'finance-regulator', first: 100 });
    expect(body.errors).toBeUndefined();
    const rows = body.data!.auditLog.nodes;
    const byOperation = (name: string) => rows.filter((r) => r.operationName === name);
    expect(byOperation('FinanceFigures')).toEqual([
      {
        at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) as unknown,
        requestId: expect.any(String) as unknown,
        keyName: 'finance-regulator',
        operationName: 'FinanceFigures',
        domains: ['finance'],
        durationMs: expect.any(Number) as unknown,
        status: 200,
        errorCodes: [],
      },
    ]);
    expect(byOperation('Hidden')).toEqual([expect.objectContaining({ status: 400, errorCodes: ['GRAPHQL_VALIDATION_FAILED'] })]);
    // Refused in the subgraph's resolver (403 in kind, HTTP 200 with a FORBIDDEN error): recorded with its code.
    // Its domains name what was asked for: the ranking is served by finance, its indicators are identity's.
    expect(byOperation('RankByIdentity')).toEqual([
      expect.objectContaining({ status: 200, errorCodes: ['FORBIDDEN'], domains: ['finance', 'identity'] }),
    ]);
    expect(byOperation('FilterByIdentity')).toEqual([
      expect.objectContaining({ status: 200, errorCodes: ['FORBIDDEN'], domains: ['finance', 'identity'] }),
    ]);
    expect(rows.every((r) => r.keyName === 'finance-regulator')).toBe(true);
    // 401s carry no key name (nor an operation name: the body of an unknown caller is not read): found by request id.
    const all = (await auditLog({ first: 500 })).data!.auditLog.nodes;
    for (const id of ['audit-no-key', 'audit-wrong-key'])
      expect(all.filter((r) => r.requestId === id)).toEqual([
        expect.objectContaining({ keyName: null, status: 401, errorCodes: ['UNAUTHENTICATED'] }),
      ]);
    const text = JSON.stringify(all);
    for (const { key } of PARTNER_KEYS) if (key) expect(text).not.toContain(key);
    expect(text).not.toContain(TEST_API_KEY);
  });

  it('pages the audit trail newest first with a keyset cursor, and filters by time', async () => {
    for (let i = 0; i < 5; i++) await post(stack.gatewayUrl, `query Paged${i} { locality(code: "14") { name } }`, undefined, FINANCE_KEY);
    const first = (await auditLog({ key: 'finance-regulator', first: 3 })).data!.auditLog;
    expect(first.nodes.map((n) => n.operationName)).toEqual(['Paged4', 'Paged3', 'Paged2']);
    expect(first.pageInfo.hasNextPage).toBe(true);
    // Requests recorded meanwhile do not shift the next page (the cursor is the last entry's id, not an offset).
    await post(stack.gatewayUrl, 'query Meanwhile { locality(code: "14") { name } }', undefined, FINANCE_KEY);
    const next = (await auditLog({ key: 'finance-regulator', first: 2, after: first.pageInfo.endCursor })).data!.auditLog;
    expect(next.nodes.map((n) => n.operationName)).toEqual(['Paged1', 'Paged0']);
    const times = [...first.nodes, ...next.nodes].map((n) => Date.parse(n.at));
    expect([...times].sort((a, b) => b - a)).toEqual(times);
    const future = new Date(Date.now() + 3_600_000).toISOString();
    expect((await auditLog({ since: future })).data!.auditLog).toEqual({ nodes: [], pageInfo: { hasNextPage: false, endCursor: null } });
    const since = (await auditLog({ since: first.nodes[0].at, key: 'finance-regulator' })).data!.auditLog.nodes;
    expect(since.map((n) => n.operationName)).toEqual(expect.arrayContaining(['Meanwhile', 'Paged4']));
    expect(since.every((n) => n.at >= first.nodes[0].at)).toBe(true);
  });

  it('refuses a bad page size or cursor with BAD_USER_INPUT naming the argument (never a 500)', async () => {
    const tooMany = await post(stack.gatewayUrl, AUDIT_LOG, { first: 501 }, AUDITOR_KEY);
    expect(tooMany.status).toBe(200);
    expect(tooMany.body).toEqual({
      data: null,
      errors: [
        expect.objectContaining({
          message: expect.stringMatching(/^first: 501/) as unknown,
          extensions: expect.objectContaining({ code: 'BAD_USER_INPUT', argument: 'first' }) as unknown,
        }),
      ],
    });
    const forged = await post(stack.gatewayUrl, AUDIT_LOG, { after: Buffer.from('offset:3').toString('base64url') }, AUDITOR_KEY);
    expect(forged.body.errors).toEqual([
      expect.objectContaining({ extensions: expect.objectContaining({ code: 'BAD_USER_INPUT', argument: 'after' }) as unknown }),
    ]);
    const badTime = await post(stack.gatewayUrl, AUDIT_LOG, { since: 'yesterday' }, AUDITOR_KEY);
    expect(badTime.status).toBe(200);
    expect(badTime.body).toEqual({
      data: null,
      errors: [
        expect.objectContaining({
          message: expect.stringMatching(/^Variable "\$since" got invalid value "yesterday"/) as unknown,
          extensions: expect.objectContaining({ code: 'BAD_USER_INPUT' }) as unknown,
        }),
      ],
    });
    const literal = await post(stack.gatewayUrl, '{ auditLog(since: "last week") { nodes { at } } }', undefined, AUDITOR_KEY);
    expect(literal.body.errors).toEqual([
      expect.objectContaining({
        message: expect.stringMatching(/invalid date-time-string last week/) as unknown,
        extensions: expect.objectContaining({ code: 'BAD_USER_INPUT' }) as unknown,
      }),
    ]);
  });

  it('a key without admin cannot see auditLog: not in its schema, and refused as an unknown field, with no data', async () => {
    for (const key of [FINANCE_KEY, ALL_DOMAINS_KEY]) {
      const refused = await post(stack.gatewayUrl, '{ auditLog { nodes { keyName } } }', undefined, key);
      expect(refused.status).toBe(400);
      expect(refused.body).toEqual({
        errors: [
          expect.objectContaining({ message: 'Cannot query field "auditLog" on type "Query".', extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }),
        ],
      });
      const types = (await graphql<{ __schema: { types: Array<{ name: string }> } }>(stack.gatewayUrl, TYPE_NAMES, undefined, key)).data!.__schema
        .types;
      expect(types.map((t) => t.name)).not.toEqual(expect.arrayContaining(['AuditEntry']));
      expect(types.map((t) => t.name)).not.toContain('AuditLogConnection');
    }
    // Every domain, but not admin: all the figures still answer.
    const figures = await graphql(
      stack.gatewayUrl,
      '{ locality(code: "116") { identity { observationCount } finance { observationCount } } }',
      undefined,
      ALL_DOMAINS_KEY,
    );
    expect(figures.errors).toBeUndefined();
    // The admin subgraph checks the scope again itself (@Authorized('admin')): a non-admin caller that got past the schema gets FORBIDDEN, null data.
    const db = await openGatewayDatabase({ url, poolSize: 1 });
    try {
      const source = await AuditLogSource.create(new GatewayRepository(db));
      const ask = (scopes: string[]) =>
        source.process({
          kind: 'incoming operation',
          request: { query: '{ auditLog(first: 1) { nodes { keyName } } }' },
          context: { requestId: 'in-depth', access: { caller: { name: 'x', scopes } } as unknown as RequestState },
        } as unknown as Parameters<AuditLogSource['process']>[0]);
      const refused = (await ask(['finance', 'identity', 'infrastructure'])) as GraphQLResponse;
      expect(refused.data).toBeNull();
      expect(refused.errors).toEqual([expect.objectContaining({ path: ['auditLog'], extensions: { code: 'FORBIDDEN' } })]);
      expect(((await ask(['admin'])) as GraphQLResponse).errors).toBeUndefined();
    } finally {
      await db.destroy();
    }
  });

  it('over its query-cost budget a key gets 429 with Retry-After, counted in Postgres; other keys are not affected', async () => {
    // The budget is per calendar minute: start well inside one, so the requests below share it.
    await waitUntil(() => new Date().getSeconds() <= 50, 15_000, 'a minute with 10 s left');
    const costly = 'query Costly { localities(first: 40) { nodes { code name } } }'; // estimated 1 + 40 + 40 + 40 = 121
    const first = await post(stack.gatewayUrl, costly, undefined, COSTLY_KEY);
    expect(first.status).toBe(200);
    expect(first.headers.get('x-ratelimit-cost-limit')).toBe(String(COST_LIMIT));
    expect(Number(first.headers.get('x-ratelimit-cost-remaining'))).toBe(COST_LIMIT - 121);
    const second = await post(stack.gatewayUrl, costly, undefined, COSTLY_KEY);
    expect(second.status).toBe(429);
    const retryAfter = Number(second.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(second.body).toEqual({
      errors: [
        {
          message: expect.stringMatching(/^Query-cost limit of 200 per minute reached \(this operation is estimated at 121/) as unknown,
          extensions: { code: 'RATE_LIMITED' },
        },
      ],
    });
    // The count is the database's (shared by replicas), not this process's.
    const [bucket] = await withBucket('costly');
    expect(bucket).toEqual({ requests: 2, cost: '242' });
    expect((await post(stack.gatewayUrl, costly, undefined, FINANCE_KEY)).status).toBe(200);
    const audit = (await auditLog({ key: 'costly' })).data!.auditLog.nodes;
    expect(audit.map((r) => [r.status, r.errorCodes])).toEqual([
      [429, ['RATE_LIMITED']],
      [200, []],
    ]);
  });

  it("CORS per key: a key's own origin gets its preflight and, with that key only, itself and credentials back", async () => {
    const preflight = (origin: string) =>
      fetch(stack.gatewayUrl, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type' },
      });
    const answered = await preflight(BANK_DASHBOARD_ORIGIN);
    expect(answered.status).toBe(204);
    expect(answered.headers.get('access-control-allow-origin')).toBe(BANK_DASHBOARD_ORIGIN);
    expect(answered.headers.get('access-control-allow-headers')).toMatch(/authorization/);
    const unlisted = await preflight('https://elsewhere.example.com');
    expect(unlisted.headers.get('access-control-allow-origin')).toBeNull();
    expect(unlisted.headers.get('access-control-allow-credentials')).toBeNull();

    const query = '{ locality(code: "14") { name } }';
    const own = await post(stack.gatewayUrl, query, undefined, BANK_DASHBOARD_KEY, { origin: BANK_DASHBOARD_ORIGIN });
    expect(own.status).toBe(200);
    expect(own.headers.get('access-control-allow-origin')).toBe(BANK_DASHBOARD_ORIGIN);
    expect(own.headers.get('access-control-allow-credentials')).toBe('true');
    // Another key from that origin: answered (the key is valid) but never with CORS headers, so a browser there cannot read it.
    const other = await post(stack.gatewayUrl, query, undefined, FINANCE_KEY, { origin: BANK_DASHBOARD_ORIGIN });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
    expect(other.headers.get('access-control-allow-credentials')).toBeNull();
    const noKey = await post(stack.gatewayUrl, query, undefined, null, { origin: BANK_DASHBOARD_ORIGIN });
    expect(noKey.status).toBe(401);
    expect(noKey.headers.get('access-control-allow-origin')).toBeNull();
  });
});
