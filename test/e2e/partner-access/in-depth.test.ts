import { createTestDatabase, withClient } from '../../helpers/database';
import { post, startStack, TEST_API_KEY, type Stack } from '../../helpers/stack';
import { CALLER_HEADER, signCaller } from '../../../common/platform/security/gateway-signature';
import { FINANCE_KEY, PARTNER_KEYS, THROTTLED_KEY, THROTTLED_LIMIT } from './fixtures';

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

  it('a subgraph port gives nothing without the gateway signature, with or without a partner key', async () => {
    for (const headers of [{}, { authorization: `Bearer ${FINANCE_KEY}` }, { authorization: `Bearer ${TEST_API_KEY}` }] as Array<
      Record<string, string>
    >) {
      const response = await toSubgraph(headers);
      expect(response.status).toBe(401);
      expect(await response.json()).toEqual({ errors: [{ message: expect.any(String) as unknown, extensions: { code: 'UNAUTHENTICATED' } }] });
    }
  });

  it('refuses a forged, a stale, a replayed and a malformed signature', async () => {
    expect((await toSubgraph(signed(['identity'], Date.now(), 'x'.repeat(43)))).status).toBe(401);
    expect((await toSubgraph(signed(['identity'], Date.now() - 61_000))).status).toBe(401);
    const once = signed(['identity']);
    expect((await toSubgraph(once)).status).toBe(200);
    expect((await toSubgraph(once)).status).toBe(401);
    // A payload changed after signing (scopes widened) no longer matches its signature.
    const [body, mac] = signed(['finance'])[CALLER_HEADER].split('.');
    const widened = Buffer.from(Buffer.from(body, 'base64url').toString().replace('"finance"', '"identity"')).toString('base64url');
    expect((await toSubgraph({ [CALLER_HEADER]: `${widened}.${mac}` })).status).toBe(401);
    expect((await toSubgraph({ [CALLER_HEADER]: 'not-a-signature' })).status).toBe(401);
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
