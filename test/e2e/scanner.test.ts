import { createTestDatabase } from '../helpers/database';
import { authHeaders, startStack, type Stack } from '../helpers/stack';

/**
 * graphql-cop (github.com/dolevf/graphql-cop, docs/operations.md "Scanner") against the production gateway, check by
 * check: the same requests it sends (with a valid key, as a partner would scan), and its own test of a finding,
 * which must come out false. Each `it` names the graphql-cop test it repeats.
 */
const COP = { 'user-agent': 'graphql-cop/1.15' };

interface Answer {
  status: number;
  text: string;
  json: unknown;
}

describe('graphql-cop checks against the production gateway', () => {
  let stack: Stack;
  let url: string;
  beforeAll(async () => {
    stack = await startStack(await createTestDatabase('scanner'), { env: 'production' });
    url = stack.gatewayUrl;
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const answer = async (response: Response): Promise<Answer> => {
    const text = await response.text();
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { status: response.status, text, json };
  };
  /** graph_query(): a JSON POST of `{ query, operationName: "cop" }` (or, batched, ten `{ query }`). */
  const graphQuery = async (query: string, batch = false) =>
    answer(
      await fetch(url, {
        method: 'POST',
        headers: { ...COP, ...authHeaders(), 'content-type': 'application/json' },
        body: JSON.stringify(batch ? Array.from({ length: 10 }, () => ({ query })) : { query, operationName: 'cop' }),
      }),
    );
  /** request(): a GET with the query in the URL, or a form-encoded POST. */
  const request = async (init: { params?: Record<string, string>; form?: Record<string, string>; accept?: string } = {}) => {
    const target = new URL(url);
    for (const [k, v] of Object.entries(init.params ?? {})) target.searchParams.set(k, v);
    return answer(
      await fetch(target, {
        method: init.form ? 'POST' : 'GET',
        headers: {
          ...COP,
          ...authHeaders(),
          ...(init.accept ? { accept: init.accept } : {}),
          ...(init.form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
        },
        body: init.form ? new URLSearchParams(init.form).toString() : undefined,
      }),
    );
  };
  const data = (a: Answer) => (a.json as { data?: Record<string, unknown> } | undefined)?.data;
  const errors = (a: Answer) => (a.json as { errors?: Array<{ message: string; extensions?: Record<string, unknown> }> } | undefined)?.errors ?? [];
  /** Every refusal: 4xx, a code, nothing internal. */
  const refused = (a: Answer) => {
    expect(a.status).toBeGreaterThanOrEqual(400);
    expect(a.status).toBeLessThan(500);
    expect(errors(a)[0]?.extensions?.code).toEqual(expect.any(String));
    expect(a.text).not.toMatch(/stacktrace|exception|\bat .*\.js:\d+|127\.0\.0\.1/i);
  };

  it('is a GraphQL endpoint to the scanner (is_graphql), so every check below really runs', async () => {
    expect(data(await graphQuery('query cop { __typename }'))).toEqual({ __typename: 'Query' });
  });

  it('alias_overloading: 101 aliases of __typename are refused', async () => {
    const a = await graphQuery(`query cop { ${Array.from({ length: 101 }, (_, i) => `alias${i}:__typename`).join('\n')} }`);
    refused(a);
    expect(data(a)?.alias100).toBeUndefined();
    expect(errors(a)[0].message).toMatch(/Aliases limit of 30 exceeded, found 101/);
  });

  it('batch_query: an array of 10 operations is refused', async () => {
    const a = await graphQuery('query cop { __typename }', true);
    refused(a);
    expect(Array.isArray(a.json)).toBe(false);
  });

  it('directive_overloading: ten duplicated directives on one field are refused as such (not ten errors)', async () => {
    const a = await graphQuery('query cop { __typename @aa@aa@aa@aa@aa@aa@aa@aa@aa@aa }');
    refused(a);
    expect(errors(a).length).not.toBe(10);
    expect(errors(a).map((e) => e.message)).toContain('Directive "@aa" is repeated on one location: send it once.');
  });

  it('field_duplication (excluded from its default run): 500 repeated __typename are refused', async () => {
    const a = await graphQuery(`query cop { ${'__typename \n'.repeat(500)}}`);
    refused(a);
    expect(data(a)).toBeUndefined();
  });

  it('circular_query_introspection and introspection: refused in production', async () => {
    for (const q of [
      'query cop { __schema { types { fields { type { fields { type { fields { type { fields { type { name } } } } } } } } } } }',
      'query cop { __schema { types { name fields { name } } } }',
    ]) {
      const a = await graphQuery(q);
      refused(a);
      expect(data(a)).toBeUndefined();
    }
  });

  it('field_suggestions: no "Did you mean" in production', async () => {
    const a = await graphQuery('query cop { __schema { directive } }');
    refused(a);
    expect(errors(a)[0].message).not.toMatch(/Did you mean/);
    const b = await graphQuery('query cop { localites { nodes { code } } }');
    expect(errors(b)[0].message).not.toMatch(/Did you mean/);
  });

  it('get_method_support and get_based_mutation: a GET without a preflight header runs nothing', async () => {
    for (const q of ['query cop {__typename}', 'mutation cop {__typename}']) {
      const a = await request({ params: { query: q } });
      refused(a);
      expect(data(a)).toBeUndefined();
    }
  });

  it('post_based_csrf: a url-encoded POST runs nothing', async () => {
    const a = await request({ form: { query: 'query cop { __typename }' } });
    refused(a);
    expect(data(a)).toBeUndefined();
  });

  it('detect_graphiql: no IDE on the endpoint or at /graphiql, /playground, /console, /explorer', async () => {
    const base = url.replace(/\/graphql$/, '');
    for (const path of ['/graphql', '/graphiql', '/playground', '/console', '/explorer/', '/']) {
      const page = await answer(await fetch(`${base}${path}`, { headers: { ...COP, accept: 'text/html' } }));
      expect({ path, ide: /graphiql\.min\.css|GraphQL Playground|GraphiQL|graphql-playground/.test(page.text) }).toEqual({ path, ide: false });
    }
  });

  it('trace_mode and unhandled_error_detection: no tracing or exception in any extensions', async () => {
    const traced = await graphQuery('query cop { __typename }');
    expect(traced.text.toLowerCase()).not.toMatch(/"tracing"/);
    const broken = await graphQuery('qwerty cop { abc }');
    refused(broken);
    expect(broken.text.toLowerCase()).not.toMatch(/"exception"|"tracing"/);
  });
});
