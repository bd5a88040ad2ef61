import { createTestDatabase } from '../../helpers/database';
import { graphql, post, startStack, TEST_API_KEY, type Stack } from '../../helpers/stack';
import { AUDITOR_KEY, FINANCE_KEY, LOCALITY_FIELDS, PARTNER_KEYS, TELECOM_KEY, TYPE_NAMES } from './fixtures';

/** Item 1 and 3 of the partner issue, through the gateway over HTTP: keys, and each partner's own schema. */
describe('partner keys and per-partner schemas at the gateway', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack(await createTestDatabase('partner_keys'), { keys: PARTNER_KEYS });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const matching = (pattern: RegExp): unknown => expect.stringMatching(pattern);
  const unauthenticated = (message: RegExp) => ({ errors: [{ message: matching(message), extensions: { code: 'UNAUTHENTICATED' } }] });

  it('no key, an unknown key or a malformed header: HTTP 401 with a GraphQL-shaped error', async () => {
    const none = await post(stack.gatewayUrl, '{ locality(code: "14") { name } }', undefined, null);
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(none.body).toEqual(unauthenticated(/API key is required/));
    const unknown = await post(stack.gatewayUrl, '{ locality(code: "14") { name } }', undefined, 'atlas_not_a_key_of_this_gateway');
    expect(unknown).toMatchObject({ status: 401, body: unauthenticated(/^Unknown API key/) });
    const basic = await post(stack.gatewayUrl, '{ __typename }', undefined, null, { authorization: `Basic ${FINANCE_KEY}` });
    expect(basic.status).toBe(401);
  });

  it('/health and /ready need no key', async () => {
    const base = stack.gatewayUrl.replace(/\/graphql$/, '');
    expect((await fetch(`${base}/health`)).status).toBe(200);
    expect((await fetch(`${base}/ready`)).status).toBe(200);
  });

  it('a finance-only key reads Locality core fields and finance figures', async () => {
    const body = await graphql(
      stack.gatewayUrl,
      '{ locality(code: "116") { name parent { name } finance { benefitsPaidThroughAccounts { value indicator { denominator } } } } }',
      undefined,
      FINANCE_KEY,
    );
    expect(body).toEqual({
      data: {
        locality: {
          name: 'Thành phố Sơn La',
          parent: { name: 'Tỉnh Sơn La' },
          finance: {
            benefitsPaidThroughAccounts: {
              value: 83,
              indicator: { denominator: 'meritorious people and social-protection/social-security beneficiaries' },
            },
          },
        },
      },
    });
  });

  it('a finance-only key naming identity fields fails validation exactly as for a field that does not exist, with no data', async () => {
    const hidden = await post(stack.gatewayUrl, '{ locality(code: "116") { name identity { observationCount } } }', undefined, FINANCE_KEY);
    const absent = await post(stack.gatewayUrl, '{ locality(code: "116") { name population { observationCount } } }', undefined, FINANCE_KEY);
    expect(hidden.status).toBe(400);
    expect(hidden.body.data).toBeUndefined();
    expect(hidden.body.errors).toEqual([
      {
        message: 'Cannot query field "identity" on type "Locality".',
        locations: [{ line: 1, column: 32 }],
        extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
      },
    ]);
    expect(absent.status).toBe(hidden.status);
    expect(absent.body.errors![0].message.replace('population', 'identity')).toBe(hidden.body.errors![0].message);
    // No suggestion points at a hidden name either.
    const typo = await post(stack.gatewayUrl, '{ locality(code: "116") { identit { __typename } } }', undefined, FINANCE_KEY);
    expect(JSON.stringify(typo.body)).not.toMatch(/Did you mean|identity|Identity/);
    // A fragment on a hidden type is unknown too.
    const fragment = await post(
      stack.gatewayUrl,
      '{ locality(code: "116") { ...F } } fragment F on Locality { infrastructure { __typename } }',
      undefined,
      FINANCE_KEY,
    );
    expect(fragment.body.errors![0].extensions!.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it('introspection of a finance-only key shows Locality core and finance types, not identity or infrastructure', async () => {
    const types = (key: string) =>
      graphql<{ __schema: { types: Array<{ name: string }> } }>(stack.gatewayUrl, TYPE_NAMES, undefined, key).then((b) =>
        b.data!.__schema.types.map((t) => t.name),
      );
    const finance = await types(FINANCE_KEY);
    expect(finance).toEqual(expect.arrayContaining(['Locality', 'FinanceProfile', 'Observation', 'Indicator', 'Query']));
    expect(finance).not.toEqual(expect.arrayContaining(['IdentityProfile']));
    expect(finance).not.toContain('InfrastructureProfile');
    expect(finance).not.toContain('IdentityProfile');
    expect(await types(TELECOM_KEY)).toEqual(expect.arrayContaining(['InfrastructureProfile']));
    expect(await types(TELECOM_KEY)).not.toContain('FinanceProfile');
    const all = await types(TEST_API_KEY);
    expect(all).toEqual(expect.arrayContaining(['IdentityProfile', 'FinanceProfile', 'InfrastructureProfile']));

    const fields = await graphql<{ __type: { fields: Array<{ name: string }> } }>(stack.gatewayUrl, LOCALITY_FIELDS, undefined, FINANCE_KEY);
    const names = fields.data!.__type.fields.map((f) => f.name);
    expect(names).toContain('finance');
    expect(names).toContain('ancestors');
    expect(names).not.toContain('identity');
    expect(names).not.toContain('infrastructure');
    const hiddenType = await graphql(stack.gatewayUrl, '{ __type(name: "IdentityProfile") { name } }', undefined, FINANCE_KEY);
    expect(hiddenType).toEqual({ data: { __type: null } });
  });

  it('introspection cannot ride along with data fields (it would be answered from the full schema)', async () => {
    const mixed = await post(stack.gatewayUrl, '{ locality(code: "14") { name } __type(name: "IdentityProfile") { name } }', undefined, FINANCE_KEY);
    expect(mixed.status).toBe(400);
    expect(mixed.body).toEqual({ errors: [{ message: matching(/operation of their own/), extensions: { code: 'BAD_USER_INPUT' } }] });
  });

  it('a key stored as its SHA-256 works, and its partner sees only infrastructure', async () => {
    const body = await graphql(
      stack.gatewayUrl,
      '{ locality(code: "116") { name infrastructure { baseStations { value } } } }',
      undefined,
      TELECOM_KEY,
    );
    expect(body).toEqual({ data: { locality: { name: 'Thành phố Sơn La', infrastructure: { baseStations: { value: 225 } } } } });
    const finance = await post(stack.gatewayUrl, '{ locality(code: "116") { finance { observationCount } } }', undefined, TELECOM_KEY);
    expect(finance.status).toBe(400);
  });

  it('an admin-only key reads the core fields and no domain', async () => {
    expect(await graphql(stack.gatewayUrl, '{ locality(code: "14") { name } }', undefined, AUDITOR_KEY)).toEqual({
      data: { locality: { name: 'Tỉnh Sơn La' } },
    });
    expect((await post(stack.gatewayUrl, '{ locality(code: "14") { finance { observationCount } } }', undefined, AUDITOR_KEY)).status).toBe(400);
  });
});
