import { DOMAINS } from '../../common/core/domain';
import { createTestDatabase } from '../helpers/database';
import { graphql, startStack, type Stack } from '../helpers/stack';

/** No N+1: a page of localities with all three profiles costs a few SQL statements per subgraph, whatever its size. */
describe('batching', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack(await createTestDatabase('batching'));
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const page = (first: number) => `{ localities(level: COMMUNE, parentCode: "14", first: ${first}) {
    nodes { code name parent { name } ancestors { code }
      identity { observationCount activatedEidAccounts { value } }
      finance { observationCount transactionAccountRate { value } }
      infrastructure { observationCount baseStations { value } } } } }`;

  it('a page of 200 communes costs the same handful of queries per subgraph as a page of 5', async () => {
    // Warm the indicator catalogue caches so both runs measure the same work.
    await graphql(stack.gatewayUrl, page(1));
    const counts: Record<number, Record<string, number>> = {};
    for (const first of [5, 200]) {
      stack.resetSqlCount();
      const body = await graphql(stack.gatewayUrl, page(first));
      expect(body.errors).toBeUndefined();
      expect(body.data!.localities.nodes).toHaveLength(first);
      counts[first] = { ...stack.sqlCount };
    }
    if (process.env.SHOW_SQL_COUNTS) console.log(JSON.stringify(counts));
    for (const domain of DOMAINS) {
      expect(counts[200][domain]).toBe(counts[5][domain]);
      expect(counts[200][domain]).toBeLessThanOrEqual(5);
    }
  });
});
