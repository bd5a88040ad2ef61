import { createTestDatabase } from '../helpers/database';
import { postJson, send, type RawResponse } from '../helpers/http';
import { startStack, type Stack } from '../helpers/stack';

/** A seeded PRNG (mulberry32): every run sends the same 1,000 requests, so a failure can be replayed. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const VALID = [
  '{ locality(code: "14") { code name level parent { name } } }',
  'query ($c: ID!) { locality(code: $c) { name ancestors { code } } }',
  'query ($n: Int, $l: LocalityLevel) { localities(level: $l, first: $n) { totalCount nodes { code identity { observationCount } } } }',
  '{ indicators(domain: finance) { code name } }',
  '{ localities(search: "son la", first: 3) { nodes { finance { transactionAccountRate { value qualifier } } } } }',
];
const JUNK = [
  '{',
  '}',
  '(',
  ')',
  '$',
  '@',
  '...',
  ':',
  '"',
  '!',
  '[',
  ']',
  '#',
  '\\u0000',
  '\u{1F600}',
  'query',
  'mutation',
  'subscription',
  'fragment',
  'on',
  'null',
  '__schema',
  '__typename',
  '1e999',
  '-0',
  '"""',
];
const BAD_VALUES: unknown[] = [null, -1, 1e308, 2 ** 31, 'x'.repeat(5000), {}, [], [[[]]], true, '14', 'COMMUNE', { code: '14' }, '\u0000', NaN];

/** One bad request: a mutated document, bad variables, or a bad envelope. */
function badRequest(rnd: () => number): { body: unknown; raw?: string } {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];
  const doc = pick(VALID);
  switch (Math.floor(rnd() * 6)) {
    case 0: {
      // Cut, insert junk or delete a slice.
      const at = Math.floor(rnd() * doc.length);
      const mutated = rnd() < 0.5 ? doc.slice(0, at) + pick(JUNK) + doc.slice(at) : doc.slice(0, at) + doc.slice(at + Math.floor(rnd() * 10));
      return { body: { query: mutated } };
    }
    case 1:
      return { body: { query: doc, variables: { c: pick(BAD_VALUES), n: pick(BAD_VALUES), l: pick(BAD_VALUES) } } };
    case 2:
      return { body: { query: pick(BAD_VALUES), variables: pick(BAD_VALUES), operationName: pick(BAD_VALUES), extensions: pick(BAD_VALUES) } };
    case 3:
      return { body: undefined, raw: JSON.stringify({ query: doc }).slice(0, Math.floor(rnd() * 40)) };
    case 4:
      return { body: { query: Array.from({ length: 1 + Math.floor(rnd() * 30) }, () => pick(JUNK)).join(' ') } };
    default:
      return { body: { query: `${doc} ${pick(JUNK)} ${pick(VALID)}`, operationName: pick(['', 'x', null, 'Q']) } };
  }
}

describe('fuzz: 1,000 random bad documents and variable payloads', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack(await createTestDatabase('fuzz'));
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('get no 5xx, always a JSON body, and the gateway keeps serving', async () => {
    const rnd = random(12);
    const requests = Array.from({ length: 1000 }, () => badRequest(rnd));
    const statuses = new Map<number, number>();
    const failures: string[] = [];
    // Eight at a time: steady pressure without starving the two shared cores.
    for (let i = 0; i < requests.length; i += 8) {
      const batch = requests.slice(i, i + 8);
      const responses = await Promise.all(
        batch.map((r): Promise<RawResponse> => (r.raw !== undefined ? postJson(stack.gatewayUrl, r.raw) : postJson(stack.gatewayUrl, r.body))),
      );
      responses.forEach((res, j) => {
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        if (res.status >= 500 || res.json === undefined)
          failures.push(`${res.status} ${JSON.stringify(batch[j]).slice(0, 200)} → ${res.text.slice(0, 200)}`);
      });
    }
    expect(failures).toEqual([]);
    expect([...statuses.keys()].every((s) => s < 500)).toBe(true);
    const ok = await send(stack.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: VALID[0] }),
    });
    expect(ok.json?.data).toEqual({ locality: { code: '14', name: 'Tỉnh Sơn La', level: 'PROVINCE', parent: { name: 'Việt Nam' } } });
  });
});
