import { createTestDatabase } from '../helpers/database';
import { graphql, startStack, type Stack } from '../helpers/stack';

/** One domain down must not blank the shared root fields the planner sends to it (finance, with the current supergraph). */
describe('a dead subgraph', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack(await createTestDatabase('faults'));
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('does not blank shared root fields: a fetch of them alone is retried, then served by a sibling', async () => {
    await stack.stopSubgraph('finance');
    // Planned on finance with every subgraph up (docs/architecture.md): now served by a sibling.
    expect(await graphql(stack.gatewayUrl, '{ locality(code: "14") { name } indicators(domain: identity) { code } }')).toEqual({
      data: { locality: { name: 'Tỉnh Sơn La' }, indicators: expect.arrayContaining([{ code: 'identity.eid.activated_accounts' }]) as unknown },
    });
    const search = await graphql<{ localities: { totalCount: number } }>(
      stack.gatewayUrl,
      '{ localities(search: "son la", first: 2) { totalCount nodes { code identity { observationCount } } } }',
    );
    expect(search.errors).toBeUndefined();
    expect(search.data!.localities.totalCount).toBe(12); // both registries (issue 10)
  });
});
