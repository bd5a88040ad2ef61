import fs from 'node:fs';
import { fromRoot } from '../../common/platform/paths';
import { loadPersistedOperations, PERSISTED_OPERATIONS_FILE } from '../../gateway/persisted-operations';
import { buildManifest, sha256Hex, type PersistedOperationManifest } from '../../gateway/persisted-operations-manifest';
import { createTestDatabase } from '../helpers/database';
import { send } from '../helpers/http';
import { authHeaders, startStack, type Stack } from '../helpers/stack';

const IDENTITY_ONLY = 'atlas_test_identity_only_0123456789';
const manifest = JSON.parse(fs.readFileSync(PERSISTED_OPERATIONS_FILE, 'utf8')) as PersistedOperationManifest;
const idOf = (name: string) => manifest.operations.find((o) => o.name === name)!.id;
const persisted = (sha256Hash: string) => ({ persistedQuery: { version: 1, sha256Hash } });

/** A GET of a persisted operation, as the dashboard sends it: no query text, the id in `extensions`. */
function getUrl(gatewayUrl: string, operationName: string, variables: Record<string, unknown>, id = idOf(operationName)): string {
  const params = new URLSearchParams({ operationName, variables: JSON.stringify(variables), extensions: JSON.stringify(persisted(id)) });
  return `${gatewayUrl}?${params.toString()}`;
}
const GET_HEADERS = { 'x-apollo-operation-name': 'dashboard' };

describe("persisted operations: the dashboard's operations by id, through the gateway over HTTP", () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack(await createTestDatabase('persisted'), { keys: [{ name: 'identity-only', key: IDENTITY_ONLY, scopes: ['identity'] }] });
  }, 120_000);
  afterAll(async () => stack?.stop());

  it('the built list is the one operations.graphql gives: each id is the SHA-256 of its text, which names no other operation', () => {
    expect(manifest).toEqual(buildManifest(fs.readFileSync(fromRoot('web/dashboard/operations.graphql'), 'utf8')));
    expect(manifest.operations.map((o) => o.name)).toEqual(['DashboardSearch', 'DashboardLocality', 'DashboardProvinces']);
    for (const o of manifest.operations) expect(o.id).toBe(sha256Hex(o.body));
    const locality = manifest.operations.find((o) => o.name === 'DashboardLocality')!.body;
    expect(locality).toContain('fragment DashboardFigure on Observation');
    expect(locality).not.toContain('DashboardMapFigure');
    expect(loadPersistedOperations().size).toBe(3);
  });

  it('GET with an id on the list and no query text runs the listed operation', async () => {
    const res = await send(getUrl(stack.gatewayUrl, 'DashboardSearch', { search: 'son la' }), { headers: GET_HEADERS });
    expect(res.status).toBe(200);
    const data = res.json?.data as { localities: { nodes: Array<{ code: string; name: string }> } };
    expect(res.json?.errors).toBeUndefined();
    expect(data.localities.nodes.map((n) => n.code)).toEqual(expect.arrayContaining(['14', '2025:14', '116']));
    // A GET a cache could key on; the schema has no cache hints yet, so Apollo marks the answer no-store (README).
    const raw = await fetch(getUrl(stack.gatewayUrl, 'DashboardSearch', { search: 'son la' }), { headers: { ...GET_HEADERS, ...authHeaders() } });
    expect(raw.headers.get('cache-control')).toBe('no-store');
  });

  it('POST with the id works too, and the listed text gets its variables', async () => {
    const res = await send(stack.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ operationName: 'DashboardLocality', variables: { code: '116' }, extensions: persisted(idOf('DashboardLocality')) }),
    });
    expect(res.status).toBe(200);
    const rate = (
      res.json?.data as { locality: { identity: { observations: Array<{ value: number; indicator: { code: string } }> } } }
    ).locality.identity.observations.find((o) => o.indicator.code === 'identity.eid.activation_rate_registered_accounts');
    expect(rate?.value).toBe(83.36);
  });

  it('an id not on the list: PERSISTED_QUERY_NOT_FOUND with HTTP 200 and no caching (Apollo convention), naming the id', async () => {
    const unknown = sha256Hex('query Nope { __typename }');
    const res = await send(getUrl(stack.gatewayUrl, 'Nope', {}, unknown), { headers: GET_HEADERS });
    expect(res.status).toBe(200);
    expect(res.json?.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_NOT_FOUND');
    expect(res.json?.errors?.[0]?.message).toContain(unknown);
    const raw = await fetch(getUrl(stack.gatewayUrl, 'Nope', {}, unknown), { headers: { ...GET_HEADERS, ...authHeaders() } });
    expect(raw.headers.get('cache-control')).toBe('private, no-cache, must-revalidate');
    const notAString = await send(stack.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ extensions: { persistedQuery: { version: 1, sha256Hash: 42 } } }),
    });
    expect(notAString.json?.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_NOT_FOUND');
    expect(notAString.json?.errors?.[0]?.message).toContain('of type number');
  });

  it('a listed id goes through every check a text does: no key → 401, a partner key → its schema', async () => {
    const anonymous = await send(getUrl(stack.gatewayUrl, 'DashboardSearch', { search: 'son la' }), {
      headers: { ...GET_HEADERS, authorization: '' },
    });
    expect(anonymous.status).toBe(401);
    expect(anonymous.json?.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    // DashboardLocality reads finance and infrastructure: an identity-only key fails validation on the listed text.
    const partner = await send(getUrl(stack.gatewayUrl, 'DashboardLocality', { code: '116' }), {
      headers: { ...GET_HEADERS, authorization: `Bearer ${IDENTITY_ONLY}` },
    });
    expect(partner.status).toBe(400);
    expect(partner.json?.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it('a GET without a CSRF-safe header is still refused (Apollo CSRF prevention), and a hash beside full text is still not supported', async () => {
    const csrf = await send(getUrl(stack.gatewayUrl, 'DashboardSearch', { search: 'son la' }));
    expect(csrf.status).toBe(400);
    const withText = await send(stack.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ __typename }', extensions: persisted(sha256Hex('{ __typename }')) }),
    });
    expect(withText.status).toBe(200); // Apollo's convention, as for an unknown id
    expect(withText.json?.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_NOT_SUPPORTED');
  });

  it('the CSV export takes query text only, as before: an id there is a client error (400), not a listed operation', async () => {
    const res = await send(`${stack.gatewayUrl.replace(/\/graphql$/, '')}/export.csv`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ variables: { search: 'son la' }, extensions: persisted(idOf('DashboardSearch')) }),
    });
    expect(res.status).toBe(400);
  });
});
