import fs from 'node:fs';
import path from 'node:path';
import { SCOPES } from '../../common/core/scopes';
import { fromRoot } from '../../common/platform/paths';
import { createTestDatabase } from '../helpers/database';
import { startProcessStack, type ProcessStack } from '../helpers/process-stack';
import { post } from '../helpers/stack';
import { waitUntil } from '../helpers/wait';

/**
 * Two gateway processes against the same subgraph processes and the same Postgres, as behind a load balancer:
 * every smoke query gets the same answer from either, and a key's rate limit is one count across both.
 */
const LIMITED_KEY = 'atlas_test_limited_replicas_0123456789ab';
const LIMIT = 4;
const dir = fromRoot('test/queries');
const queries = fs
  .readdirSync(dir)
  // NAME.csv.graphql goes to /export.csv (the smoke suite checks it); here every /graphql query.
  .filter((f) => f.endsWith('.graphql') && !f.endsWith('.csv.graphql'))
  .sort();

describe('two gateway replicas', () => {
  let stack: ProcessStack;
  beforeAll(async () => {
    stack = await startProcessStack(await createTestDatabase('replicas'), {
      gateways: 2,
      keys: [{ name: 'test-limited', key: LIMITED_KEY, scopes: [...SCOPES], requestsPerMinute: LIMIT }],
    });
  }, 240_000);
  afterAll(async () => {
    await stack?.stop();
  }, 60_000);

  it('answer every smoke query the same', async () => {
    const [a, b] = stack.gatewayUrls;
    for (const file of queries) {
      const query = fs.readFileSync(path.join(dir, file), 'utf8');
      const [fromA, fromB] = await Promise.all([post(a, query), post(b, query)]);
      expect({ file, status: fromB.status, body: fromB.body }).toEqual({ file, status: fromA.status, body: fromA.body });
      // Same answer, and the right one: the smoke suite's expected JSON names the data.
      const expected = JSON.parse(fs.readFileSync(path.join(dir, file.replace(/\.graphql$/, '.expected.json')), 'utf8')) as { data?: unknown };
      if (expected.data !== undefined) expect({ file, data: fromA.body.data }).toEqual({ file, data: expected.data });
    }
  }, 120_000);

  it('share one rate-limit count per key', async () => {
    const [a, b] = stack.gatewayUrls;
    // All requests of this test inside one counting minute (the counter is per calendar minute, in Postgres).
    await waitUntil(() => new Date().getSeconds() < 50, 15_000, 'a minute with time left to count in');
    const statuses: number[] = [];
    for (let i = 0; i < LIMIT + 2; i++) statuses.push((await post(i % 2 ? b : a, '{ indicators { code } }', undefined, LIMITED_KEY)).status);
    // A per-replica count would let 2 × LIMIT through.
    expect(statuses).toEqual([...Array<number>(LIMIT).fill(200), 429, 429]);
  }, 60_000);
});
