import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from '@jest/globals'; // its asymmetric matchers are typed; @types/jest's return `any`
import { createTestDatabase, withClient } from '../helpers/database';
import { freePort } from '../helpers/ports';
import { childEnv, spawnNode } from '../helpers/processes';
import { authHeaders, graphql, startStack, type Stack } from '../helpers/stack';

describe('gateway health, readiness and request ids', () => {
  let stack: Stack;
  let url: string;
  beforeAll(async () => {
    url = await createTestDatabase('gateway');
    stack = await startStack(url);
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('answers /health and, with every subgraph up, /ready', async () => {
    const base = stack.gatewayUrl.replace(/\/graphql$/, '');
    const health = await fetch(`${base}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok', service: 'gateway' });
    const ready = await fetch(`${base}/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({
      status: 'ready',
      subgraphs: {
        identity: { status: 'ready', database: 'ok' },
        finance: { status: 'ready', database: 'ok' },
        infrastructure: { status: 'ready', database: 'ok' },
      },
    });
  });

  it('passes the caller request id to every subgraph and echoes it', async () => {
    const response = await fetch(stack.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': 'test-req-42', ...authHeaders() },
      body: JSON.stringify({ query: '{ locality(code: "14") { name } }' }),
    });
    expect(response.headers.get('x-request-id')).toBe('test-req-42');
    expect(await response.json()).toEqual({ data: { locality: { name: 'Tỉnh Sơn La' } } });
  });

  it('rejects invalid GraphQL with a validation error, not a crash', async () => {
    const body = await graphql(stack.gatewayUrl, '{ locality(code: "14") { population } }');
    expect(body.errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it('masks unexpected failures: no SQL or table names reach the client, only a code, the subgraph and the request id', async () => {
    await withClient(url, (c) => c.query('ALTER TABLE finance.observation RENAME TO observation_gone'));
    try {
      const response = await fetch(stack.gatewayUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-request-id': 'test-broken-1', ...authHeaders() },
        body: JSON.stringify({ query: '{ locality(code: "116") { name finance { observationCount } identity { observationCount } } }' }),
      });
      expect(response.headers.get('x-request-id')).toBe('test-broken-1');
      const body = (await response.json()) as {
        data: { locality: { name: string; identity: { observationCount: number } } };
        errors: unknown[];
      };
      expect(JSON.stringify(body)).not.toMatch(/relation|does not exist|SELECT|postgres|stack/i);
      expect(body.errors).toEqual([
        expect.objectContaining({
          message: 'Internal server error',
          extensions: expect.objectContaining({ code: 'INTERNAL_SERVER_ERROR', serviceName: 'finance' }),
        }),
      ]);
      // The other domains still answer: a partial result, not a failed query.
      expect(body.data.locality.name).toBe('Thành phố Sơn La');
      expect(body.data.locality.identity.observationCount).toBeGreaterThan(0);
    } finally {
      await withClient(url, (c) => c.query('ALTER TABLE finance.observation_gone RENAME TO observation'));
    }
  });

  it('reports /ready 503 naming the subgraph that is down, while /health still answers', async () => {
    await stack.stopSubgraph('finance');
    const base = stack.gatewayUrl.replace(/\/graphql$/, '');
    const ready = await fetch(`${base}/ready`);
    expect(ready.status).toBe(503);
    const body = (await ready.json()) as { status: string; subgraphs: Record<string, { status: string }> };
    expect(body.status).toBe('unavailable');
    expect(body.subgraphs.identity.status).toBe('ready');
    expect(body.subgraphs.finance.status).not.toBe('ready');
    expect((await fetch(`${base}/health`)).status).toBe(200);
    // Queries not touching finance still work.
    expect(
      await graphql<{ locality: { name: string; identity: { observationCount: number } } }>(
        stack.gatewayUrl,
        '{ locality(code: "116") { name identity { observationCount } } }',
      ),
    ).toEqual({
      data: { locality: { name: 'Thành phố Sơn La', identity: { observationCount: expect.any(Number) } } },
    });
  });
});

describe('gateway start-up', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'atlas-gw-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('refuses to start without the supergraph file, saying how to fix it', async () => {
    const gw = spawnNode(
      'dist/gateway/index.js',
      [],
      childEnv({ PORT: String(await freePort()), SUPERGRAPH_PATH: path.join(dir, 'missing.graphql') }),
    );
    const { code } = await gw.exited();
    expect(code).toBe(1);
    expect(gw.output()).toMatch(/SUPERGRAPH_PATH=.*missing\.graphql cannot be read \(ENOENT\): run `npm run compose`/);
  });

  it('refuses to start on an invalid supergraph', async () => {
    const file = path.join(dir, 'broken.graphql');
    fs.writeFileSync(file, 'type Query { hello: String }\n');
    const gw = spawnNode('dist/gateway/index.js', [], childEnv({ PORT: String(await freePort()), SUPERGRAPH_PATH: file }));
    const { code } = await gw.exited();
    expect(code).toBe(1);
    expect(gw.output()).toMatch(/is not a valid supergraph/);
  });

  it('refuses to start on bad configuration, naming the variable', async () => {
    const gw = spawnNode('dist/gateway/index.js', [], childEnv({ PORT: 'forty' }));
    const { code } = await gw.exited();
    expect(code).toBe(1);
    expect(gw.output()).toMatch(/PORT="forty"/);
  });
});
