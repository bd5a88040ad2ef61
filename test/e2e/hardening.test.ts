import { SCOPES } from '../../common/core/scopes';
import { CALLER_HEADER, signCaller } from '../../common/platform/security/gateway-signature';
import { getIntrospectionQuery } from 'graphql';
import { LIMITS } from '../../gateway/hardening';
import { createTestDatabase } from '../helpers/database';
import { postJson, send, type RawResponse } from '../helpers/http';
import { startStack, type Stack } from '../helpers/stack';

const AMPLIFICATION =
  '{ localities(level: COMMUNE, parentCode: "14", first: 100) { nodes { ancestors { children(level: COMMUNE) { code name nameAscii } } } } }';
const SANE = '{ locality(code: "14") { name } }';

/** Each hostile request is refused before it runs: HTTP 400, one GraphQL error with a code, nothing internal. */
function expectRefused(r: RawResponse, code: string, message?: RegExp): void {
  expect({ status: r.status, code: r.json?.errors?.[0]?.extensions?.code }).toEqual({ status: 400, code });
  if (message) expect(r.json?.errors?.[0]?.message).toMatch(message);
  expect(r.json?.data).toBeUndefined();
  expect(r.text).not.toMatch(/stacktrace|\bat .*\.js:\d+|127\.0\.0\.1|localhost|postgres|relation/i);
  expect(r.text).not.toMatch(/\bSELECT\b|\bFROM\b/);
}

describe('gateway query hardening (development)', () => {
  let stack: Stack;
  let url: string;
  beforeAll(async () => {
    stack = await startStack(await createTestDatabase('hardening'));
    url = stack.gatewayUrl;
  });
  afterAll(async () => {
    await stack?.stop();
  });
  // After every refusal the gateway still answers an ordinary query.
  afterEach(async () => {
    expect((await postJson(url, { query: SANE })).json).toEqual({ data: { locality: { name: 'Tỉnh Sơn La' } } });
  });

  it('malformed JSON', async () => {
    expectRefused(await postJson(url, '{"query": "{ locality(code: \\"14\\") { name } }"'), 'BAD_REQUEST', /not valid JSON/);
  });

  it('an empty body', async () => {
    expectRefused(await postJson(url, ''), 'BAD_REQUEST');
  });

  it('a 2 MB query', async () => {
    const query = `{ locality(code: "14") { name ${' '.repeat(2 * 1024 * 1024)} } }`;
    expectRefused(await postJson(url, { query }), 'BAD_REQUEST', new RegExp(`larger than the limit of ${LIMITS.maxBodyBytes} bytes`));
  });

  it('depth 50', async () => {
    const query = `{ locality(code: "14") { ${'parent { '.repeat(49)}code${' }'.repeat(49)} } }`;
    expectRefused(await postJson(url, { query }), 'GRAPHQL_VALIDATION_FAILED', /depth limit of 15/i);
  });

  it('500 aliases (over the token limit) and 40 aliases (over the alias limit)', async () => {
    const aliases = (n: number, field: string) => `{ ${Array.from({ length: n }, (_, i) => `a${i}: ${field}`).join(' ')} }`;
    expectRefused(await postJson(url, { query: aliases(500, 'locality(code: "14") { name }') }), 'GRAPHQL_PARSE_FAILED', /2000 tokens/);
    expectRefused(await postJson(url, { query: aliases(40, 'locality(code: "14") { name }') }), 'GRAPHQL_VALIDATION_FAILED', /aliases limit of 30/i);
  });

  it('1,000 duplicated fields (graphql-js aborts its overlap check) and 50 (over the repeated-field limit)', async () => {
    const repeated = (n: number) => `{ locality(code: "14") { ${'name '.repeat(n)}} }`;
    expectRefused(await postJson(url, { query: repeated(1000) }), 'GRAPHQL_VALIDATION_FAILED', /^Validation aborted/);
    expectRefused(await postJson(url, { query: repeated(50) }), 'GRAPHQL_VALIDATION_FAILED', /"name" is repeated more than 5 times/);
  });

  it('1,000 directives (over the token limit) and 60 directives (over the directive limit)', async () => {
    const many = `{ locality(code: "14") { name ${'@include(if: true) '.repeat(1000)}} }`;
    expectRefused(await postJson(url, { query: many }), 'GRAPHQL_PARSE_FAILED', /2000 tokens/);
    const sixty = `{ locality(code: "14") { name ${'@a '.repeat(60)}} }`;
    expectRefused(await postJson(url, { query: sixty }), 'GRAPHQL_VALIDATION_FAILED', /directives limit of 50/i);
  });

  it('circular introspection is refused by depth; the standard introspection query still works in development', async () => {
    const circular = `{ __schema { types { ${'fields { type { '.repeat(10)}name${' } }'.repeat(10)} } } }`;
    expectRefused(await postJson(url, { query: circular }), 'GRAPHQL_VALIDATION_FAILED', /depth/i);
    const standard = await postJson(url, { query: getIntrospectionQuery() });
    expect(standard.status).toBe(200);
    expect(standard.json).toMatchObject({ data: { __schema: { queryType: { name: 'Query' } } } });
  });

  it('the list-amplification query of the issue, before it runs; a page of 200 communes × three domains still passes', async () => {
    const started = Date.now();
    expectRefused(await postJson(url, { query: AMPLIFICATION }), 'QUERY_TOO_COSTLY', /too costly/);
    expect(Date.now() - started).toBeLessThan(1000);
    // A variable page size counts the same as a literal one.
    const viaVariable = await postJson(url, {
      query: 'query ($n: Int) { localities(first: $n) { nodes { children(level: COMMUNE) { code } } } }',
      variables: { n: 50 },
    });
    expectRefused(viaVariable, 'QUERY_TOO_COSTLY');
    const page = await postJson(url, {
      query:
        '{ localities(level: COMMUNE, parentCode: "14", first: 200) { totalCount nodes { code name identity { observationCount } finance { observationCount } infrastructure { observationCount } } } }',
    });
    expect(page.status).toBe(200);
    expect((page.json?.data as { localities: { nodes: unknown[] } }).localities.nodes).toHaveLength(200);
  });

  it('a batched array of 100 operations', async () => {
    const r = await postJson(
      url,
      Array.from({ length: 100 }, () => ({ query: SANE })),
    );
    expect(r.status).toBe(400);
    expect(r.text).toMatch(/batching/i);
  });

  it('a mutation over GET: 405, the one refusal that is not a 400 (the method is what is wrong)', async () => {
    const r = await send(`${url}?query=${encodeURIComponent('mutation { x }')}`, { headers: { 'apollo-require-preflight': 'true' } });
    expect({ status: r.status, code: r.json?.errors?.[0]?.extensions?.code }).toEqual({ status: 405, code: 'BAD_REQUEST' });
    expect(r.json?.errors?.[0]?.message).toMatch(/GET requests only support query operations/);
    // A query over GET is fine.
    const get = await send(`${url}?query=${encodeURIComponent(SANE)}`, { headers: { 'apollo-require-preflight': 'true' } });
    expect(get.json).toEqual({ data: { locality: { name: 'Tỉnh Sơn La' } } });
  });

  it('a form-encoded POST without preflight headers (CSRF)', async () => {
    const r = await send(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `query=${encodeURIComponent(SANE)}`,
    });
    expect(r.status).toBe(400);
    expect(r.text).toMatch(/CSRF/);
  });

  it('unknown fields (with suggestions in development) and wrong variable types', async () => {
    expectRefused(
      await postJson(url, { query: '{ locality(code: "14") { nam } }' }),
      'GRAPHQL_VALIDATION_FAILED',
      /Cannot query field "nam".*Did you mean "name"/,
    );
    const wrongType = await postJson(url, { query: 'query ($c: ID!) { locality(code: $c) { name } }', variables: { c: { nested: true } } });
    expectRefused(wrongType, 'BAD_USER_INPUT', /Variable "\$c"/);
  });

  it('an unknown operation name (found by the fuzz run: the gateway answered 500)', async () => {
    expectRefused(await postJson(url, { query: SANE, operationName: 'x' }), 'OPERATION_RESOLUTION_FAILURE', /Unknown operation named "x"/);
  });
});

describe('subgraph limits (a subgraph reached past the gateway)', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack(await createTestDatabase('hardening_sub'));
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('refuses the amplification query, depth 50 and malformed JSON with HTTP 400, and still serves the gateway', async () => {
    const sub = stack.subgraphUrls.identity;
    // Past the gateway only a signed caller gets this far (partner keys): sign each request as the gateway does.
    const signed = () => ({
      [CALLER_HEADER]: signCaller(stack.gatewaySecret, { name: 'hardening-test', scopes: [...SCOPES], requestId: 'hardening' }),
    });
    expectRefused(await postJson(sub, { query: AMPLIFICATION }, signed()), 'QUERY_TOO_COSTLY');
    expectRefused(
      await postJson(sub, { query: `{ locality(code: "14") { ${'parent { '.repeat(49)}code${' }'.repeat(49)} } }` }, signed()),
      'GRAPHQL_VALIDATION_FAILED',
      /depth/,
    );
    expectRefused(await postJson(sub, '{"query":', signed()), 'BAD_REQUEST');
    expectRefused(await postJson(sub, [{ query: SANE }, { query: SANE }], signed()), 'BAD_REQUEST');
    expect((await postJson(stack.gatewayUrl, { query: SANE })).json).toEqual({ data: { locality: { name: 'Tỉnh Sơn La' } } });
  });
});

describe('gateway query hardening (production)', () => {
  let stack: Stack;
  let url: string;
  beforeAll(async () => {
    stack = await startStack(await createTestDatabase('hardening_prod'), { env: 'production' });
    url = stack.gatewayUrl;
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('turns introspection, field suggestions and the landing page off', async () => {
    expectRefused(await postJson(url, { query: '{ __schema { queryType { name } } }' }), 'GRAPHQL_VALIDATION_FAILED', /introspection/i);
    const unknown = await postJson(url, { query: '{ locality(code: "14") { nam } }' });
    expectRefused(unknown, 'GRAPHQL_VALIDATION_FAILED');
    expect(unknown.text).not.toMatch(/Did you mean/);
    const page = await send(url, { headers: { accept: 'text/html' } });
    // Apollo's CDN landing page is never served; in production the offline explorer is off too.
    expect(page.text).not.toMatch(/sandbox|embeddable|apollographql/i);
    expect((await send(`${url.replace(/\/graphql$/, '')}/explorer/`, {})).status).toBe(404);
    expect((await postJson(url, { query: SANE })).json).toEqual({ data: { locality: { name: 'Tỉnh Sơn La' } } });
  });

  it('keeps the same limits', async () => {
    expectRefused(await postJson(url, { query: AMPLIFICATION }), 'QUERY_TOO_COSTLY');
    expectRefused(await postJson(url, '{'), 'BAD_REQUEST');
  });
});
