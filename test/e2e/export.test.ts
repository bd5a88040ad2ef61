import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { importFiles } from '../../common/data/seed/seed';
import { CSV_COLUMNS } from '../../gateway/export-csv';
import { csvText } from '../helpers/csv';
import { createTestDatabase } from '../helpers/database';
import { authHeaders, graphql, startStack, type Stack } from '../helpers/stack';

/** A source title that needs every kind of CSV quoting, and one a spreadsheet would run as a formula. */
const AWKWARD_TITLE = 'Chuyển đổi số, "Sơn La"\nphần 2';
const FORMULA_TITLE = '=HYPERLINK("https://example.vn")';

/** CSV export through the gateway over real HTTP: the file, its rows, and the errors that never become half a file. */
describe('GET/POST /export.csv', () => {
  let stack: Stack;
  let exportUrl: string;
  let tmp: string;
  beforeAll(async () => {
    const url = await createTestDatabase('export');
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'atlas-export-'));
    const file = path.join(tmp, 'awkward.csv');
    const row = {
      locality_code: '116',
      indicator_code: 'infrastructure.stations.5g_stations',
      qualifier: 'EXACT',
      source_url: 'https://example.vn/x',
    };
    fs.writeFileSync(
      file,
      csvText([
        { ...row, value: '12', period_end: '2024-12-31', source_title: AWKWARD_TITLE },
        { ...row, value: '15', period_end: '2025-06-30', source_title: FORMULA_TITLE },
      ]),
    );
    await importFiles(url, [file]);
    stack = await startStack(url);
    exportUrl = stack.gatewayUrl.replace(/\/graphql$/, '/export.csv');
  });
  afterAll(async () => {
    await stack?.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  const post = (body: unknown) =>
    fetch(exportUrl, { method: 'POST', headers: { 'content-type': 'application/json', ...authHeaders() }, body: JSON.stringify(body) });
  const rowsOf = (text: string) => parse<Record<string, string>>(text.slice(1), { columns: true, bom: false });

  // Three: Sơn La province, the post-reform Sơn La (issue 10, no figures of its own), Sơn La city.
  const SON_LA = `query SonLa($search: String!) { localities(search: $search, first: 3) { nodes { name
    identity { activatedEidAccounts { value } } finance { observations(latest: true) { value } } } } }`;

  it('answers a CSV attachment: UTF-8 with a BOM, the header, one row per observation with its locality (diacritics intact)', async () => {
    const response = await post({ query: SON_LA, variables: { search: 'son la' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(response.headers.get('content-disposition')).toBe('attachment; filename="SonLa.csv"');
    expect(response.headers.get('x-request-id')).toBeTruthy();
    // Streamed: written row by row after the operation finished, so no length is known up front.
    expect(response.headers.get('transfer-encoding')).toBe('chunked');
    const bytes = Buffer.from(await response.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.toString('utf8');
    expect(text.slice(1, text.indexOf('\r\n'))).toBe(CSV_COLUMNS.join(','));

    const rows = rowsOf(text);
    // The same query through /graphql: one row per figure in it, in the same order.
    const json = await graphql<{
      localities: {
        nodes: Array<{
          name: string;
          identity: { activatedEidAccounts: { value: number } | null };
          finance: { observations: Array<{ value: number }> };
        }>;
      };
    }>(stack.gatewayUrl, SON_LA, { search: 'son la' });
    const expected = json.data!.localities.nodes.flatMap((n) => [
      ...(n.identity.activatedEidAccounts ? [[n.name, n.identity.activatedEidAccounts.value]] : []),
      ...n.finance.observations.map((o) => [n.name, o.value]),
    ]);
    expect(rows.map((r) => [r.locality_name, Number(r.value)])).toEqual(expected);
    expect(rows.length).toBeGreaterThan(3);

    // Every column filled from the figure itself, whatever the query selected: Sơn La city's eID accounts (article 002), as /graphql has it.
    const full = await graphql<{ locality: { identity: { activatedEidAccounts: { source: Record<string, string | null> } } } }>(
      stack.gatewayUrl,
      `
        {
          locality(code: "116") {
            identity {
              activatedEidAccounts {
                source {
                  title
                  url
                  publisher
                }
              }
            }
          }
        }
      `,
    );
    const source = full.data!.locality.identity.activatedEidAccounts.source;
    expect(rows.find((r) => r.locality_code === '116' && r.indicator_code === 'identity.eid.activated_accounts')).toEqual({
      locality_code: '116',
      locality_name: 'Thành phố Sơn La',
      indicator_code: 'identity.eid.activated_accounts',
      indicator_name: 'Activated eID accounts',
      unit: 'COUNT',
      value: '68000',
      qualifier: 'AT_LEAST',
      numerator: '',
      numerator_qualifier: '',
      denominator: '',
      denominator_qualifier: '',
      period_start: '',
      period_end: '',
      period_label: '',
      source_title: source.title,
      // Article 002 gives no title: the one shown is ours, and the file says so.
      source_title_supplied: 'true',
      source_url: source.url ?? '',
      source_publisher: source.publisher ?? '',
      derived: 'false',
      formula: '',
      note: '',
    });
  });

  it('GET with query and variables in the URL gives the same file as POST', async () => {
    const params = new URLSearchParams({ query: SON_LA, variables: JSON.stringify({ search: 'son la' }) });
    const viaGet = await fetch(`${exportUrl}?${params.toString()}`, { headers: authHeaders() });
    expect(viaGet.status).toBe(200);
    const viaPost = await post({ query: SON_LA, variables: { search: 'son la' } });
    expect(await viaGet.text()).toBe(await viaPost.text());
  });

  it('quotes commas, quotes and line breaks (RFC 4180) and defuses a cell a spreadsheet would run as a formula', async () => {
    const response = await post({
      query: `{ locality(code: "116") { infrastructure { observations(indicators: ["infrastructure.stations.5g_stations"]) { value } } } }`,
    });
    const text = await response.text();
    expect(text).toContain(`,"Chuyển đổi số, ""Sơn La""\nphần 2",`);
    const rows = rowsOf(text);
    expect(rows.map((r) => [r.value, r.period_end, r.source_title])).toEqual([
      ['15', '2025-06-30', `'${FORMULA_TITLE}`],
      ['12', '2024-12-31', AWKWARD_TITLE],
    ]);
  });

  it('exports derived metrics as rows flagged derived, with the formula, the inputs and the reason when null', async () => {
    const response = await post({
      query: `{ present: locality(code: "116") { transactionAccountHoldersPerActivatedEid { value } }
                missing: locality(code: "26") { smartphoneUsersPerActivatedEid { value } } }`,
    });
    const rows = rowsOf(await response.text());
    expect(rows.map((r) => [r.locality_name, r.indicator_code, r.unit, r.value, r.qualifier, r.numerator, r.denominator, r.derived, r.note])).toEqual(
      [
        [
          'Thành phố Sơn La',
          'finance.derived.transaction_account_holders_14plus_per_activated_eid',
          'RATIO',
          '1.0338',
          'AT_MOST',
          '70300',
          '68000',
          'true',
          '',
        ],
        [
          'Tỉnh Vĩnh Phúc',
          'infrastructure.derived.smartphone_users_per_activated_eid',
          'RATIO',
          '',
          '',
          '',
          '762000',
          'true',
          'no figure for infrastructure.smartphone.users in this locality',
        ],
      ],
    );
    expect(rows[0].formula).toBe(
      'finance.account.transaction_account_holders_14plus / identity.eid.activated_accounts (latest figure of each, rounded to 4 decimals)',
    );
  });

  it.each([
    ['a parse error', { query: '{ locality(code: "116") { name ' }, 400, 'GRAPHQL_PARSE_FAILED'],
    ['a validation error', { query: '{ locality(code: "116") { population } }' }, 400, 'GRAPHQL_VALIDATION_FAILED'],
    [
      'an unknown indicator',
      { query: '{ locality(code: "116") { identity { observations(indicators: ["identity.nope"]) { value } } } }' },
      400,
      'UNKNOWN_INDICATOR',
    ],
    ['a bad argument', { query: '{ localities(first: -1) { totalCount } }' }, 400, 'BAD_USER_INPUT'],
    ['no query', { variables: {} }, 400, 'BAD_REQUEST'],
    ['variables that are not an object', { query: '{ indicators { code } }', variables: [1] }, 400, 'BAD_REQUEST'],
    ['a reserved alias', { query: '{ indicators { _csv_code: code } }' }, 400, 'BAD_REQUEST'],
    // The alias limit counts the client's own aliases on the export as on /graphql (the export's added ones are not counted).
    [
      '31 aliases of its own',
      { query: `{ ${Array.from({ length: 31 }, (_, i) => `a${i}: locality(code: "116") { name }`).join(' ')} }` },
      400,
      'GRAPHQL_VALIDATION_FAILED',
    ],
  ])('answers %s with the GraphQL error as JSON, status %s, and no file', async (_what, body, status, code) => {
    const response = await post(body);
    expect(response.status).toBe(status);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(response.headers.get('content-disposition')).toBeNull();
    const json = (await response.json()) as { data?: unknown; errors: Array<{ message: string; extensions: { code: string } }> };
    expect(json.data).toBeUndefined();
    expect(json.errors.map((e) => e.extensions.code)).toContain(code);
    expect(json.errors[0].message).not.toMatch(/SELECT|at .*\.js/);
  });

  it("reports a validation error at its place in the client's own query text (not in the one the export runs)", async () => {
    const response = await post({ query: '{\n  locality(code: "116") {\n    population\n  }\n}' });
    expect(response.status).toBe(400);
    const json = (await response.json()) as { errors: Array<{ message: string; locations: unknown }> };
    expect(json.errors).toEqual([expect.objectContaining({ locations: [{ line: 3, column: 5 }] })]);
    expect(json.errors[0].message).not.toMatch(/_csv_/);
  });

  it('answers malformed JSON and a bad variables parameter with 400 JSON', async () => {
    const malformed = await fetch(exportUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...authHeaders() },
      body: '{"query": ',
    });
    expect(malformed.status).toBe(400);
    expect(((await malformed.json()) as { errors: unknown[] }).errors).toHaveLength(1);
    const badVariables = await fetch(`${exportUrl}?${new URLSearchParams({ query: '{ indicators { code } }', variables: '{oops' }).toString()}`, {
      headers: authHeaders(),
    });
    expect(badVariables.status).toBe(400);
    expect(await badVariables.json()).toEqual({ errors: [{ message: 'variables must be a JSON object', extensions: { code: 'BAD_REQUEST' } }] });
  });
});
