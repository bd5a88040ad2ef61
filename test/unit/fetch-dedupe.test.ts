import { CALLER_HEADER, signCaller, type SignedCaller } from '../../common/platform/security/gateway-signature';
import { deduplicatingFetcher } from '../../gateway/fetch-dedupe';
import type { Fetcher } from '../../gateway/resilient-fetch';

const SECRET = 'test-secret';
const URL = 'http://127.0.0.1:1/graphql';
const ANALYST: SignedCaller = { name: 'analyst', scopes: ['identity', 'finance'], requestId: 'r1' };
const QUERY = JSON.stringify({ query: '{ locality(code: "14") { name } }' });

/** A subgraph fetch as RemoteGraphQLDataSource makes it: a fresh signature (nonce, request id) every time. */
const init = (body: string, caller: SignedCaller = ANALYST, requestId = 'r1') => ({
  method: 'POST',
  headers: { 'content-type': 'application/json', [CALLER_HEADER]: signCaller(SECRET, { ...caller, requestId }) },
  body,
});

/** A subgraph that answers only when told to, counting what it was sent. */
function heldSubgraph() {
  const sent: string[] = [];
  const pending: Array<(text: string) => void> = [];
  const fetcher = ((_input: string, request?: { body?: unknown }) => {
    sent.push(String(request?.body));
    return new Promise<Response>((resolve) =>
      pending.push((text) => resolve(new Response(text, { status: 200, headers: { 'content-type': 'application/json' } }))),
    );
  }) as unknown as Fetcher;
  const answerAll = (text: string) => pending.splice(0).forEach((answer) => answer(text));
  return { fetcher, sent, answerAll };
}

describe('in-flight deduplication of subgraph fetches', () => {
  it('sends identical queries of one caller once while in flight; each gets its own copy of the answer', async () => {
    const subgraph = heldSubgraph();
    const fetch = deduplicatingFetcher(subgraph.fetcher);
    const answers = Promise.all([
      fetch(URL, init(QUERY, ANALYST, 'r1')),
      fetch(URL, init(QUERY, ANALYST, 'r2')),
      fetch(URL, init(QUERY, ANALYST, 'r3')),
    ]);
    subgraph.answerAll('{"data":{"locality":{"name":"Sơn La"}}}');
    const responses = await answers;
    expect(subgraph.sent).toHaveLength(1);
    const bodies = await Promise.all(responses.map((r) => r.json()));
    expect(bodies).toEqual(Array(3).fill({ data: { locality: { name: 'Sơn La' } } }));
    expect(responses.map((r) => r.headers.get('content-type'))).toEqual(Array(3).fill('application/json'));
  });

  it('keeps nothing once answered: the next identical query is sent again', async () => {
    const subgraph = heldSubgraph();
    const fetch = deduplicatingFetcher(subgraph.fetcher);
    const first = fetch(URL, init(QUERY));
    subgraph.answerAll('{"data":{"n":1}}');
    await first;
    const second = fetch(URL, init(QUERY));
    subgraph.answerAll('{"data":{"n":2}}');
    expect(await (await second).json()).toEqual({ data: { n: 2 } });
    expect(subgraph.sent).toHaveLength(2);
  });

  it('never shares between callers, scopes, subgraphs, variables, or for a mutation', async () => {
    const subgraph = heldSubgraph();
    const fetch = deduplicatingFetcher(subgraph.fetcher);
    const mutation = JSON.stringify({ query: 'mutation { rotate }' });
    const answers = Promise.all([
      fetch(URL, init(QUERY)),
      fetch(URL, init(QUERY, { ...ANALYST, name: 'other-partner' })),
      fetch(URL, init(QUERY, { ...ANALYST, scopes: ['finance'] })),
      fetch('http://127.0.0.1:2/graphql', init(QUERY)),
      fetch(URL, init(JSON.stringify({ query: '{ locality(code: "14") { name } }', variables: { x: 1 } }))),
      fetch(URL, init(mutation)),
      fetch(URL, init(mutation)),
    ]);
    subgraph.answerAll('{"data":{}}');
    await answers;
    expect(subgraph.sent).toHaveLength(7);
  });

  it('gives every waiter the failure of the fetch they shared, then sends afresh', async () => {
    let calls = 0;
    const failing = (() => {
      calls += 1;
      return Promise.reject(new Error('subgraph down'));
    }) as unknown as Fetcher;
    const fetch = deduplicatingFetcher(failing);
    const results = await Promise.allSettled([fetch(URL, init(QUERY)), fetch(URL, init(QUERY))]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect(calls).toBe(1);
    await expect(fetch(URL, init(QUERY))).rejects.toThrow('subgraph down');
    expect(calls).toBe(2);
  });
});
