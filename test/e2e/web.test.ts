import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openGatewayDatabase } from '../../common/data/gateway/gateway-database';
import { createLogger } from '../../common/platform/logger';
import { loadKeyRing } from '../../common/platform/security/api-keys';
import { newSecret } from '../../common/platform/security/gateway-signature';
import { createTestDatabase } from '../helpers/database';
import { fromRoot } from '../../common/platform/paths';
import { listen, type Listening } from '../../common/platform/server/http';
import { createGatewayServer, type GatewayServer } from '../../gateway/server';
import { prefillHeaders } from '../../gateway/web';
import { exampleQueries } from '../../scripts/web-examples';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'atlas-web-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const HTML = { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' };

/** The gateway alone (no subgraph is contacted to serve the web client), in one mode. */
async function gateway(env: 'development' | 'production', dataDir: string): Promise<{ base: string; stop: () => Promise<void> }> {
  const dead = { port: 9, url: 'http://127.0.0.1:9/graphql' };
  // The gateway keeps rate limits and its audit in its own schema: a real database, even to serve files.
  const db = await openGatewayDatabase({ url: await createTestDatabase('web'), poolSize: 1, migrate: true });
  const server: GatewayServer = await createGatewayServer(
    {
      supergraphPath: fromRoot('schema/supergraph.graphql'),
      subgraphs: { identity: dead, finance: dead, infrastructure: dead },
      readyTimeoutMs: 200,
      subgraphTimeoutMs: 200,
      env,
      dataDir,
      corsOrigins: [],
      rateLimitPerMinute: 0,
      auditRetentionDays: 1,
    },
    createLogger('test-web', 'silent'),
    { keys: loadKeyRing(path.join(dataDir, 'api-keys.json')), gatewaySecret: newSecret(), dataSource: db },
  );
  const listening: Listening = await listen(server.app, 0, '127.0.0.1');
  return {
    base: `http://127.0.0.1:${listening.port}`,
    stop: async () => {
      await listening.close();
      await server.stop();
      await db.destroy();
    },
  };
}

describe('the web client served by the gateway', () => {
  it('in development: the dashboard at /, the explorer at /explorer/, GET /graphql from a browser redirects there, the local key is offered', async () => {
    fs.writeFileSync(
      path.join(dir, 'api-keys.json'),
      JSON.stringify([{ key: 'atlas_dev_key_0123456789', name: 'analyst', scopes: ['identity', 'finance', 'infrastructure'] }]),
    );
    const gw = await gateway('development', dir);
    try {
      const home = await fetch(`${gw.base}/`);
      expect(home.status).toBe(200);
      expect(home.headers.get('content-security-policy')).toMatch(/default-src 'self'/);
      const html = await home.text();
      expect(html).toContain('<script type="module" src="/app.js"></script>');
      expect(html).not.toMatch(/https?:\/\//); // nothing is loaded from elsewhere
      expect((await fetch(`${gw.base}/app.js`)).status).toBe(200);
      const explorer = await fetch(`${gw.base}/explorer/`);
      expect(explorer.status).toBe(200);
      expect(await explorer.text()).toContain('/explorer/explorer.js');
      const redirect = await fetch(`${gw.base}/graphql`, { headers: HTML, redirect: 'manual' });
      expect(redirect.status).toBe(302);
      expect(redirect.headers.get('location')).toBe('/explorer/');
      expect(await (await fetch(`${gw.base}/web-config.json`)).json()).toEqual({
        explorer: true,
        headers: { Authorization: 'Bearer atlas_dev_key_0123456789' },
      });
      // A GraphQL client's GET is still GraphQL, not a redirect.
      const get = await fetch(`${gw.base}/graphql?query=${encodeURIComponent('{ __typename }')}`, {
        headers: { 'apollo-require-preflight': '1', Authorization: 'Bearer atlas_dev_key_0123456789' },
      });
      expect(await get.json()).toEqual({ data: { __typename: 'Query' } });
    } finally {
      await gw.stop();
    }
  });

  it('in production: no explorer, no key offered, and GET /graphql from a browser goes to the dashboard, not to a CDN page', async () => {
    const keys = path.join(dir, 'api-keys.json');
    if (!fs.existsSync(keys)) fs.writeFileSync(keys, JSON.stringify([{ key: 'atlas_prod_key_0123456789', name: 'analyst', scopes: ['finance'] }]));
    const gw = await gateway('production', dir);
    try {
      expect((await fetch(`${gw.base}/explorer/`)).status).toBe(404);
      expect((await fetch(`${gw.base}/explorer/explorer.js`)).status).toBe(404);
      const redirect = await fetch(`${gw.base}/graphql`, { headers: HTML, redirect: 'manual' });
      expect(redirect.status).toBe(302);
      expect(redirect.headers.get('location')).toBe('/');
      expect(await (await fetch(`${gw.base}/web-config.json`)).json()).toEqual({ explorer: false, headers: {} });
      expect((await fetch(`${gw.base}/`)).status).toBe(200);
    } finally {
      await gw.stop();
    }
  });
});

describe('prefillHeaders (the explorer key header)', () => {
  const file = path.join(dir, 'keys.json');
  const write = (keys: unknown) => fs.writeFileSync(file, JSON.stringify(keys));

  it('sends nothing without a key file, or with one it cannot read', () => {
    expect(prefillHeaders(undefined)).toEqual({});
    expect(prefillHeaders(path.join(dir, 'missing.json'))).toEqual({});
    fs.writeFileSync(file, 'not json');
    expect(prefillHeaders(file)).toEqual({});
  });

  it('prefers a clear key with every domain scope, and never offers a hashed key', () => {
    write([
      { key: 'a'.repeat(64), name: 'hashed', scopes: ['identity', 'finance', 'infrastructure'] },
      { key: 'partner_fin', name: 'bank', scopes: ['finance'] },
      { key: 'analyst_all', name: 'analyst', scopes: ['identity', 'finance', 'infrastructure', 'admin'] },
    ]);
    expect(prefillHeaders(file)).toEqual({ Authorization: 'Bearer analyst_all' });
    write([{ key: `sha256:${'b'.repeat(64)}`, scopes: [] }]);
    expect(prefillHeaders(file)).toEqual({});
  });
});

describe('the explorer examples', () => {
  it('come from the ```graphql blocks of docs/queries.md under their headings', () => {
    const docs = path.join(dir, 'queries.md');
    fs.writeFileSync(
      docs,
      '# Queries\n\n## Sơn La city\n\n```graphql\n{ locality(code: "116") { name } }\n```\n\ntext\n\n## Indicators\n```graphql\n{ indicators { code } }\n```\n',
    );
    expect(exampleQueries(docs, fromRoot('test/queries'))).toEqual([
      { title: 'Sơn La city', query: '{ locality(code: "116") { name } }\n' },
      { title: 'Indicators', query: '{ indicators { code } }\n' },
    ]);
  });

  it('else from the smoke suite, answers before error cases', () => {
    const examples = exampleQueries(path.join(dir, 'none.md'), fromRoot('test/queries'));
    expect(examples[0].title).toBe('acceptance-son-la');
    expect(examples.length).toBe(fs.readdirSync(fromRoot('test/queries')).filter((f) => f.endsWith('.graphql')).length);
    expect(examples.findIndex((e) => e.title.startsWith('errors-'))).toBeGreaterThan(examples.findIndex((e) => e.title === 'vinh-phuc-wording'));
  });
});
