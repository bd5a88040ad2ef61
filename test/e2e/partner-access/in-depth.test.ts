import { createTestDatabase, withClient } from '../../helpers/database';
import { post, startStack, TEST_API_KEY, type Stack } from '../../helpers/stack';
import { CALLER_HEADER, signCaller } from '../../../common/platform/security/gateway-signature';
import { AUDITOR_KEY, FINANCE_KEY, PARTNER_KEYS, THROTTLED_KEY, THROTTLED_LIMIT } from './fixtures';

/** Items 2, 4, 5 and 6 of the partner issue over real HTTP: subgraph signatures, FORBIDDEN in the subgraph, CORS, rate limits, audit. */
describe('enforcement in depth, CORS, rate limits and the audit trail', () => {
  let stack: Stack;
  let url: string;
  const ORIGIN = 'https://dashboard.example.org';
  beforeAll(async () => {
    url = await createTestDatabase('partner_depth');
    stack = await startStack(url, { keys: PARTNER_KEYS, corsOrigins: [ORIGIN] });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const entities =
    '{ _entities(representations: [{ __typename: "Locality", code: "116" }]) { ... on Locality { name identity { observationCount } } } }';
  const toSubgraph = (headers: Record<string, string>, query = entities) =>
    fetch(stack.subgraphUrls.identity, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ query }),
    });
  const signed = (scopes: string[], at = Date.now(), secret = stack.gatewaySecret) => ({
    [CALLER_HEADER]: signCaller(secret, { name: 'finance-regulator', scopes, requestId: 'depth-test' }, at),
  });

  /** The audit rows of these request ids, read as an admin partner would: Query.auditLog through the gateway. */
  const auditedAs = async (requestIds: string[]) => {
    await stack.flushAudit();
    const page = await post(
      stack.gatewayUrl,
      'query Refusals { auditLog(first: 500) { nodes { requestId keyName operationName domains status errorCodes source durationMs } } }',
      undefined,
      AUDITOR_KEY,
    );
    expect(page.body.errors).toBeUndefined();
    const nodes = (page.body.data as { auditLog: { nodes: Array<{ requestId: string }> } }).auditLog.nodes;
    return requestIds.map((id) => nodes.filter((n) => n.requestId === id));
  };
  const refusal = (keyName: string, code: string, operationName: string | null = null) => [
    {
      requestId: expect.any(String) as unknown,
      keyName,
      operationName,
      domains: ['identity'],
      status: 401,
      errorCodes: [code, 'UNAUTHENTICATED'].sort(),
      source: 'identity subgraph',
      durationMs: expect.any(Number) as unknown,
    },
  ];

  it('a subgraph port gives nothing without the gateway signature, with or without a partner key; each refusal is audited', async () => {
    const ids: string[] = [];
    for (const [i, headers] of (
      [{}, { authorization: `Bearer ${FINANCE_KEY}` }, { authorization: `Bearer ${TEST_API_KEY}` }] as Array<Record<string, string>>
    ).entries()) {
      ids.push(`unsigned-${i}-${Date.now()}`);
      const response = await toSubgraph({ ...headers, 'x-request-id': ids[i] }, `query Direct${i} ${entities}`);
      expect(response.status).toBe(401);
      expect(response.headers.get('x-request-id')).toBe(ids[i]);
      expect(await response.json()).toEqual({ errors: [{ message: expect.any(String) as unknown, extensions: { code: 'UNAUTHENTICATED' } }] });
    }
    // A body that is no JSON, or over the subgraph's body limit, is refused the same: 401, audited without an operation name.
    for (const [what, body] of [
      ['not-json', '{ query Direct'],
      ['too-large', JSON.stringify({ query: `query Big { ${'a '.repeat(1_000_000)}}` })],
    ]) {
      ids.push(`unsigned-${what}-${Date.now()}`);
      const response = await fetch(stack.subgraphUrls.identity, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-request-id': ids.at(-1)! },
        body,
      });
      expect(response.status).toBe(401);
    }
    // Never the key (nor the header): the key name says what was (not) sent.
    expect(await auditedAs(ids)).toEqual(ids.map((_, i) => refusal('(unsigned)', 'SIGNATURE_MISSING', i < 3 ? `Direct${i}` : null)));
  });

  it('refuses a forged, a stale, a replayed and a malformed signature, and audits each with why', async () => {
    const id = (what: string) => ({ 'x-request-id': `${what}-${Date.now()}` });
    const forged = { ...signed(['identity'], Date.now(), 'x'.repeat(43)), ...id('forged') };
    expect((await toSubgraph(forged)).status).toBe(401);
    const stale = { ...signed(['identity'], Date.now() - 61_000), ...id('stale') };
    expect((await toSubgraph(stale)).status).toBe(401);
    const once = signed(['identity']);
    expect((await toSubgraph(once)).status).toBe(200);
    const replayed = { ...once, ...id('replayed') };
    expect((await toSubgraph(replayed, `query Replay ${entities}`)).status).toBe(401);
    // A payload changed after signing (scopes widened) no longer matches its signature.
    const [body, mac] = signed(['finance'])[CALLER_HEADER].split('.');
    const widened = Buffer.from(Buffer.from(body, 'base64url').toString().replace('"finance"', '"identity"')).toString('base64url');
    const tampered = { [CALLER_HEADER]: `${widened}.${mac}`, ...id('tampered') };
    expect((await toSubgraph(tampered)).status).toBe(401);
    const malformed = { [CALLER_HEADER]: 'not-a-signature', ...id('malformed') };
    expect((await toSubgraph(malformed)).status).toBe(401);

    const rows = await auditedAs([forged, stale, replayed, tampered, malformed].map((h) => h['x-request-id']));
    expect(rows).toEqual([
      refusal('(forged)', 'SIGNATURE_INVALID'),
      // The HMAC held, so the signed name is known (and worth knowing: whose signature leaked or lagged).
      refusal('finance-regulator', 'SIGNATURE_STALE'),
      refusal('finance-regulator', 'SIGNATURE_REPLAYED', 'Replay'),
      refusal('(forged)', 'SIGNATURE_INVALID'),
      refusal('(malformed)', 'SIGNATURE_MALFORMED'),
    ]);
    expect(JSON.stringify(rows)).not.toContain(forged[CALLER_HEADER]);
  });

  it('the identity subgraph itself refuses identity fields to a signed finance-only caller: FORBIDDEN on that path, null data', async () => {
    const response = await toSubgraph(signed(['finance']));
    const body = (await response.json()) as { data: unknown; errors: Array<{ path: unknown; extensions: { code: string } }> };
    expect(body.data).toEqual({ _entities: [{ name: 'Thành phố Sơn La', identity: null }] });
    expect(body.errors).toEqual([expect.objectContaining({ path: ['_entities', 0, 'identity'], extensions: { code: 'FORBIDDEN' } })]);
    const allowed = (await (await toSubgraph(signed(['identity']))).json()) as { data: { _entities: Array<{ identity: unknown }> } };
    expect(allowed.data._entities[0].identity).toEqual({ observationCount: expect.any(Number) as unknown });
  });

  it('CORS: an allowed origin gets its preflight answered and itself reflected with credentials; another origin gets no CORS header', async () => {
    const preflight = (origin: string) =>
      fetch(stack.gatewayUrl, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type' },
      });
    const ok = await preflight(ORIGIN);
    expect(ok.status).toBe(204);
    expect(ok.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    expect(ok.headers.get('access-control-allow-credentials')).toBe('true');
    expect(ok.headers.get('access-control-allow-headers')).toMatch(/authorization/);
    const other = await preflight('https://evil.example.com');
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
    expect(other.headers.get('access-control-allow-credentials')).toBeNull();
    const actual = await post(stack.gatewayUrl, '{ locality(code: "14") { name } }', undefined, FINANCE_KEY, { origin: 'https://evil.example.com' });
    expect(actual.headers.get('access-control-allow-origin')).toBeNull();
    const allowed = await post(stack.gatewayUrl, '{ locality(code: "14") { name } }', undefined, FINANCE_KEY, { origin: ORIGIN });
    expect(allowed.headers.get('access-control-allow-origin')).toBe(ORIGIN);
  });

  it('over its per-minute limit a key gets 429 with Retry-After; other keys are not affected', async () => {
    // The window is the calendar minute: start well inside one, so the requests below share it.
    while (new Date().getSeconds() > 50) await new Promise((r) => setTimeout(r, 250));
    const statuses: number[] = [];
    let last: Awaited<ReturnType<typeof post>> | undefined;
    for (let i = 0; i <= THROTTLED_LIMIT; i++) {
      last = await post(stack.gatewayUrl, 'query Throttled { locality(code: "14") { name } }', undefined, THROTTLED_KEY);
      statuses.push(last.status);
    }
    expect(statuses).toEqual([...Array<number>(THROTTLED_LIMIT).fill(200), 429]);
    const retryAfter = Number(last!.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(last!.body).toEqual({
      errors: [{ message: expect.stringMatching(/Rate limit of 3 requests per minute/) as unknown, extensions: { code: 'RATE_LIMITED' } }],
    });
    expect((await post(stack.gatewayUrl, '{ locality(code: "14") { name } }', undefined, FINANCE_KEY)).status).toBe(200);
  });

  it('records every request in gateway.audit_entry: key name (never the key), operation, domains, status, error codes', async () => {
    await post(stack.gatewayUrl, 'query FinanceFigures { locality(code: "116") { finance { observationCount } } }', undefined, FINANCE_KEY);
    await post(stack.gatewayUrl, 'query Hidden { locality(code: "116") { identity { observationCount } } }', undefined, FINANCE_KEY);
    await post(stack.gatewayUrl, 'query NoKey { locality(code: "116") { name } }', undefined, null);
    await stack.flushAudit();
    const rows = await withClient(
      url,
      async (c) => (await c.query('SELECT * FROM gateway.audit_entry ORDER BY id')).rows as Array<Record<string, unknown>>,
    );
    const find = (operation: string) => rows.filter((r) => r.operation_name === operation);
    expect(find('FinanceFigures')).toEqual([
      expect.objectContaining({
        key_name: 'finance-regulator',
        domains: ['finance'],
        status: 200,
        error_codes: [],
        duration_ms: expect.any(Number) as unknown,
      }),
    ]);
    expect(find('Hidden')).toEqual([
      expect.objectContaining({ key_name: 'finance-regulator', status: 400, error_codes: ['GRAPHQL_VALIDATION_FAILED'] }),
    ]);
    expect(rows).toContainEqual(expect.objectContaining({ key_name: null, status: 401, error_codes: ['UNAUTHENTICATED'] }));
    expect(find('Throttled').map((r) => r.status)).toEqual([200, 200, 200, 429]);
    expect(find('Throttled')[3]).toMatchObject({ key_name: 'throttled', error_codes: ['RATE_LIMITED'] });
    const text = JSON.stringify(rows);
    for (const { key } of PARTNER_KEYS) if (key) expect(text).not.toContain(key);
  });
});
