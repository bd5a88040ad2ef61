import pino from 'pino';
import { SCOPES } from '../../../common/core/scopes';
import { CALLER_HEADER, signCaller } from '../../../common/platform/security/gateway-signature';
import { createTestDatabase } from '../../helpers/database';
import { post, startStack, type Stack } from '../../helpers/stack';

/** Request ids from the client through the gateway to the subgraphs and back, in JSON logs; /metrics of every service, over HTTP. */

interface LogLine {
  service?: string;
  msg: string;
  requestId?: string;
  path?: string;
  status?: number;
}

/** One sample's value from the Prometheus text format (0 when the series does not exist yet). */
function sample(text: string, name: string, labels: Record<string, string>): number {
  const line = text.split('\n').find((l) => l.startsWith(`${name}{`) && Object.entries(labels).every(([k, v]) => l.includes(`${k}="${v}"`)));
  return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : 0;
}

describe('request ids and metrics', () => {
  let stack: Stack;
  const lines: LogLine[] = [];
  beforeAll(async () => {
    const log = pino({ level: 'info', base: { service: 'gateway' } }, { write: (s: string) => void lines.push(JSON.parse(s) as LogLine) });
    stack = await startStack(await createTestDatabase('observability'), { log });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const QUERY = 'query Probe { locality(code: "116") { name identity { observationCount } finance { observationCount } } }';
  const metricsOf = async (url: string) => {
    const response = await fetch(new URL('/metrics', url)); // no key: scrapers have none
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    return response.text();
  };

  it('passes the request id to the subgraphs and back, and logs it as JSON in every service', async () => {
    const response = await post(stack.gatewayUrl, QUERY, undefined, undefined, { 'x-request-id': 'trace-me-123' });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-request-id')).toBe('trace-me-123');
    const logged = lines.filter((l) => l.msg === 'request' && l.requestId === 'trace-me-123');
    expect(logged.map((l) => [l.service, l.path, l.status]).sort()).toEqual([
      ['finance', '/graphql', 200],
      ['gateway', '/graphql', 200],
      ['identity', '/graphql', 200],
    ]);

    // Without one the gateway makes one up, and the subgraphs log that one.
    const fresh = await post(stack.gatewayUrl, QUERY);
    const id = fresh.headers.get('x-request-id')!;
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(
      lines
        .filter((l) => l.msg === 'request' && l.requestId === id)
        .map((l) => l.service)
        .sort(),
    ).toEqual(['finance', 'gateway', 'identity']);

    // A subgraph answers with the id it was given (what the gateway sees).
    const signed = signCaller(stack.gatewaySecret, { name: 'test', scopes: [...SCOPES], requestId: 'direct-7' });
    const direct = await fetch(stack.subgraphUrls.identity, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [CALLER_HEADER]: signed },
      body: JSON.stringify({ query: '{ indicators(domain: identity) { code } }' }),
    });
    expect(direct.status).toBe(200);
    expect(direct.headers.get('x-request-id')).toBe('direct-7');
  });

  it('counts requests, operations, errors, subgraph fetches and pool connections at GET /metrics of the gateway and each subgraph', async () => {
    const [gatewayBefore, identityBefore] = await Promise.all([metricsOf(stack.gatewayUrl), metricsOf(stack.subgraphUrls.identity)]);
    for (let i = 0; i < 3; i++) expect((await post(stack.gatewayUrl, QUERY)).status).toBe(200);
    // Refused before planning (HTTP 400), and an error a subgraph answers (relayed with its code).
    expect((await post(stack.gatewayUrl, 'query Invalid { locality(code: "116") { nam } }')).status).toBe(400);
    const broken = await post(
      stack.gatewayUrl,
      'query Broken { locality(code: "116") { finance { observations(indicators: ["finance.nope"]) { value } } } }',
    );
    expect(broken.body.errors?.map((e) => e.extensions?.code)).toEqual(['UNKNOWN_INDICATOR']);
    const [gateway, identity] = await Promise.all([metricsOf(stack.gatewayUrl), metricsOf(stack.subgraphUrls.identity)]);
    const moved = (before: string, after: string, name: string, labels: Record<string, string>) =>
      sample(after, name, labels) - sample(before, name, labels);

    expect(moved(gatewayBefore, gateway, 'atlas_http_requests_total', { service: 'gateway', route: '/graphql', method: 'POST', status: '200' })).toBe(
      4, // three Probe, one Broken (a GraphQL error in a 200 answer)
    );
    expect(moved(gatewayBefore, gateway, 'atlas_http_requests_total', { route: '/graphql', status: '400' })).toBe(1);
    expect(moved(gatewayBefore, gateway, 'atlas_http_request_duration_seconds_count', { route: '/graphql', status: '200' })).toBe(4);
    expect(moved(gatewayBefore, gateway, 'atlas_graphql_operations_total', { operation: 'Probe', outcome: 'ok' })).toBe(3);
    expect(moved(gatewayBefore, gateway, 'atlas_graphql_errors_total', { operation: 'Broken', code: 'UNKNOWN_INDICATOR' })).toBe(1);
    expect(moved(gatewayBefore, gateway, 'atlas_graphql_operations_total', { operation: 'Broken', outcome: 'error' })).toBe(1);
    expect(moved(gatewayBefore, gateway, 'atlas_subgraph_errors_total', { subgraph: 'finance', code: 'UNKNOWN_INDICATOR' })).toBe(1);
    expect(moved(gatewayBefore, gateway, 'atlas_subgraph_requests_total', { subgraph: 'identity', outcome: 'ok' })).toBe(3);
    expect(moved(gatewayBefore, gateway, 'atlas_subgraph_request_duration_seconds_count', { subgraph: 'finance' })).toBeGreaterThanOrEqual(3);
    expect(sample(gateway, 'atlas_db_pool_connections', { pool: 'gateway', state: 'total' })).toBeGreaterThanOrEqual(1);
    expect(gateway).toMatch(/^atlas_process_resident_memory_bytes\{service="gateway"\} \d+/m);

    // The subgraph counts the gateway's fetches as its own operations; its pool is its own.
    const fetched = identity.split('\n').filter((l) => l.startsWith('atlas_graphql_operations_total{') && l.includes('outcome="ok"'));
    expect(fetched.reduce((n, l) => n + Number(l.slice(l.lastIndexOf(' ') + 1)), 0)).toBeGreaterThanOrEqual(3);
    expect(moved(identityBefore, identity, 'atlas_http_requests_total', { service: 'identity', route: '/graphql', status: '200' })).toBe(3);
    expect(sample(identity, 'atlas_db_pool_connections', { pool: 'identity', state: 'total' })).toBeGreaterThanOrEqual(1);
    expect(sample(identity, 'atlas_db_pool_connections', { pool: 'identity', state: 'waiting' })).toBe(0);
  });

  it('counts a dead subgraph as failed fetches and its errors per operation', async () => {
    const before = await metricsOf(stack.gatewayUrl);
    await stack.stopSubgraph('identity');
    const body = (await post(stack.gatewayUrl, QUERY)).body;
    expect(body.errors?.map((e) => e.extensions?.serviceName)).toEqual(['identity']);
    const after = await metricsOf(stack.gatewayUrl);
    expect(
      sample(after, 'atlas_subgraph_requests_total', { subgraph: 'identity', outcome: 'failed' }) -
        sample(before, 'atlas_subgraph_requests_total', { subgraph: 'identity', outcome: 'failed' }),
    ).toBe(1);
    expect(sample(after, 'atlas_graphql_operations_total', { operation: 'Probe', outcome: 'error' })).toBe(1);
    expect(sample(after, 'atlas_graphql_errors_total', { operation: 'Probe', code: 'SUBGRAPH_UNAVAILABLE' })).toBe(1);
  });
});
