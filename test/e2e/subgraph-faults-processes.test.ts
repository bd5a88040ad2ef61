import { createTestDatabase } from '../helpers/database';
import { startProcessStack, type ProcessStack } from '../helpers/process-stack';
import { graphql, type GraphQLResponse } from '../helpers/stack';

/**
 * A subgraph process killed (SIGKILL, as a crash) under a running gateway: the shared root fields (`locality`,
 * `localities`, `indicators`) that the query planner sends to finance must still answer from a sibling, the dead
 * domain's own fields are null with an error naming it, and everything is back once the process is.
 */
const MIXED = `{
  locality(code: "116") {
    name
    identity { activatedEidAccounts { value } }
    finance { observationCount }
    infrastructure { baseStations { value } }
    transactionAccountHoldersPerActivatedEid { value }
  }
}`;
const LIST = `query ($search: String!) {
  localities(search: $search, first: 2) {
    totalCount
    nodes { code name finance { observationCount } identity { observationCount } }
  }
  indicators(domain: identity) { code }
}`;

describe('a killed subgraph process', () => {
  let stack: ProcessStack;
  let gateway: string;
  let healthy: { mixed: GraphQLResponse; list: GraphQLResponse };

  beforeAll(async () => {
    stack = await startProcessStack(await createTestDatabase('faults_processes'));
    gateway = stack.gatewayUrls[0];
    healthy = { mixed: await graphql(gateway, MIXED), list: await graphql(gateway, LIST, { search: 'son la' }) };
    expect(healthy.mixed.errors).toBeUndefined();
    expect(healthy.list.errors).toBeUndefined();
  }, 180_000);
  afterAll(async () => {
    await stack?.stop();
  }, 60_000);

  it('keeps shared root fields and the other domains when the root fetch also asks the dead domain (finance)', async () => {
    await stack.kill('finance');
    const mixed = await graphql<{ locality: Record<string, unknown> }>(gateway, MIXED);
    const { finance: _f, transactionAccountHoldersPerActivatedEid: _t, ...rest } = healthy.mixed.data!.locality as Record<string, unknown>;
    expect(mixed.data).toEqual({ locality: { ...rest, finance: null, transactionAccountHoldersPerActivatedEid: null } });
    expect(mixed.errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          path: ['locality', 'finance'],
          extensions: expect.objectContaining({ code: 'SUBGRAPH_UNAVAILABLE', serviceName: 'finance' }) as unknown,
        }),
      ]),
    );
    // The derived metric's own fetch (after identity's) goes to finance too: refused as a whole, named.
    for (const e of mixed.errors ?? [])
      expect(e).toMatchObject({
        message: expect.stringMatching(/^The finance subgraph is unavailable/) as unknown,
        extensions: { code: 'SUBGRAPH_UNAVAILABLE', serviceName: 'finance' },
      });

    const list = await graphql<{ localities: { nodes: Array<Record<string, unknown>> } }>(gateway, LIST, { search: 'son la' });
    const expected = healthy.list.data as { localities: { totalCount: number; nodes: Array<Record<string, unknown>> }; indicators: unknown };
    expect(list.data).toEqual({
      ...expected,
      localities: { ...expected.localities, nodes: expected.localities.nodes.map((n) => ({ ...n, finance: null })) },
    });
    expect(list.errors?.map((e) => e.path)).toEqual([
      ['localities', 'nodes', 0, 'finance'],
      ['localities', 'nodes', 1, 'finance'],
    ]);
  }, 60_000);

  it('is whole again once the process is back, with no gateway restart', async () => {
    await stack.restart('finance');
    expect(await graphql(gateway, MIXED)).toEqual(healthy.mixed);
    expect(await graphql(gateway, LIST, { search: 'son la' })).toEqual(healthy.list);
  }, 120_000);

  it('costs only its own fields when a domain that serves no root field dies (identity)', async () => {
    await stack.kill('identity');
    const mixed = await graphql<{ locality: Record<string, unknown> }>(gateway, MIXED);
    expect(mixed.data?.locality).toEqual({
      ...(healthy.mixed.data!.locality as Record<string, unknown>),
      identity: null,
      transactionAccountHoldersPerActivatedEid: null,
    });
    // One error per failed fetch to identity (its profile and the metric's @requires may be two fetches), each naming it.
    expect(mixed.errors?.length).toBeGreaterThanOrEqual(1);
    const unavailable = {
      message: 'The identity subgraph is unavailable: its fields are null.',
      extensions: { code: 'SUBGRAPH_UNAVAILABLE', serviceName: 'identity' },
    };
    expect(mixed.errors).toEqual(mixed.errors!.map(() => unavailable));
    await stack.restart('identity');
  }, 120_000);
});
