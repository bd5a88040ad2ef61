import fs from 'node:fs';
import path from 'node:path';
import { fromRoot } from '../../common/platform/paths';
import { createTestDatabase } from '../helpers/database';
import { authHeaders, post, startStack, type Stack, type GraphQLResponse } from '../helpers/stack';

/**
 * The smoke suite: every test/queries/NAME.graphql is sent to the gateway over HTTP and the answer
 * must equal NAME.expected.json. Errors are compared by message, code and path only.
 * NAME.csv.graphql is sent to /export.csv instead, and the file must equal NAME.expected.csv (kept without
 * its byte-order mark and with LF line ends, so it reads as text; both are checked on the wire).
 * UPDATE_EXPECTED=1 rewrites the expected files on a developer machine; a changed expected file is
 * committed as a reviewed diff with its reason, never regenerated in CI.
 * Every ```graphql block of docs/queries.md must be one of these files, and the answer shown after it the expected one.
 */
if (process.env.CI && process.env.UPDATE_EXPECTED) {
  // Thrown while collecting: the file fails before any expected answer could be rewritten.
  throw new Error(
    `UPDATE_EXPECTED=${process.env.UPDATE_EXPECTED} is refused under CI: expected answers change only as a reviewed diff. ` +
      'Run UPDATE_EXPECTED=1 npx jest test/e2e/smoke.test.ts locally, then commit the diff with its reason.',
  );
}
const update = process.env.UPDATE_EXPECTED === '1';
const dir = fromRoot('test/queries');
const queries = fs
  .readdirSync(dir)
  .filter((f) => f.endsWith('.graphql'))
  .sort();
const CSV_QUERY = /\.csv\.graphql$/;
const BOM = [0xef, 0xbb, 0xbf];

/** The file holding a query's expected answer: NAME.expected.json, or NAME.expected.csv for an export. */
const expectedFileOf = (file: string) =>
  path.join(dir, CSV_QUERY.test(file) ? file.replace(CSV_QUERY, '.expected.csv') : file.replace(/\.graphql$/, '.expected.json'));

function normalise(body: GraphQLResponse) {
  return {
    ...(body.data !== undefined ? { data: body.data } : {}),
    ...(body.errors
      ? { errors: body.errors.map((e) => ({ message: e.message, code: e.extensions?.code, ...(e.path ? { path: e.path } : {}) })) }
      : {}),
  };
}

/** A query as a reader compares it: without comment lines, blank lines and indentation. */
const queryText = (text: string) =>
  text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'))
    .join('\n');

interface DocsExample {
  line: number;
  query: string;
  /** The fenced block right after the query, when it is its answer (```json or ```csv). */
  answer?: { lang: 'json' | 'csv'; text: string };
}

const isAnswerLang = (lang: string): lang is 'json' | 'csv' => lang === 'json' || lang === 'csv';

/** The ```graphql blocks of docs/queries.md, each with the ```json or ```csv block that follows it, if any. */
function docsExamples(markdown: string): DocsExample[] {
  const lines = markdown.split('\n');
  const blocks: Array<{ line: number; lang: string; text: string }> = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\w*)\s*$/.exec(lines[i]);
    if (!open) continue;
    const end = lines.indexOf('```', i + 1);
    if (end < 0) throw new Error(`docs/queries.md:${i + 1}: unclosed code block`);
    blocks.push({ line: i + 1, lang: open[1], text: lines.slice(i + 1, end).join('\n') + '\n' });
    i = end;
  }
  return blocks.flatMap((block, i): DocsExample[] => {
    if (block.lang !== 'graphql') return [];
    const next = blocks[i + 1];
    const answer = next && isAnswerLang(next.lang) ? { lang: next.lang, text: next.text } : undefined;
    return [{ line: block.line, query: block.text, answer }];
  });
}

describe('smoke queries through the gateway', () => {
  let stack: Stack;
  let exportUrl: string;
  beforeAll(async () => {
    stack = await startStack(await createTestDatabase('smoke'));
    exportUrl = stack.gatewayUrl.replace(/\/graphql$/, '/export.csv');
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('has queries to run', () => {
    expect(queries.length).toBeGreaterThan(5);
  });

  it.each(queries)('%s', async (file) => {
    const query = fs.readFileSync(path.join(dir, file), 'utf8');
    const expectedFile = expectedFileOf(file);
    if (CSV_QUERY.test(file)) {
      const response = await fetch(exportUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...authHeaders() },
        body: JSON.stringify({ query }),
      });
      const bytes = new Uint8Array(await response.arrayBuffer());
      const wire = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);
      // An error answer is shown whole: it says which field or input the export refused.
      const answer = { status: response.status, type: response.headers.get('content-type'), error: response.ok ? undefined : wire };
      expect(answer).toEqual({ status: 200, type: 'text/csv; charset=utf-8', error: undefined });
      expect([...bytes.subarray(0, 3)]).toEqual(BOM);
      // Every line ends in CRLF (RFC 4180); the expected file keeps LF so it diffs as text.
      expect(wire.replace(/\r\n/g, '')).not.toMatch(/\n/);
      const actual = wire.slice(1).replace(/\r\n/g, '\n');
      if (update) fs.writeFileSync(expectedFile, actual);
      expect(actual).toBe(fs.readFileSync(expectedFile, 'utf8'));
      return;
    }
    const { status, body } = await post(stack.gatewayUrl, query);
    // Bad input is the client's error (400, or 200 with a coded error), never a server failure.
    expect([200, 400]).toContain(status);
    const actual = normalise(body);
    if (update) fs.writeFileSync(expectedFile, JSON.stringify(actual, null, 2) + '\n');
    expect(actual).toEqual(JSON.parse(fs.readFileSync(expectedFile, 'utf8')));
  });
});

describe('docs/queries.md and the smoke suite', () => {
  const examples = docsExamples(fs.readFileSync(fromRoot('docs/queries.md'), 'utf8'));
  const smoke = new Map(queries.map((file) => [queryText(fs.readFileSync(path.join(dir, file), 'utf8')), file]));
  const cases = examples.map((example) => ({ ...example, name: `docs/queries.md:${example.line}` }));

  it('documents at least ten analyst queries', () => {
    expect(examples.length).toBeGreaterThanOrEqual(10);
  });

  it.each(cases)('$name is a smoke query, and the answer shown is its expected answer', ({ query, answer }) => {
    const file = smoke.get(queryText(query));
    // The failure shows the block's text: a query edited in the docs or in test/queries but not in both.
    if (!file) throw new Error(`no test/queries/*.graphql holds this query:\n${query}`);
    if (!answer) return;
    const expectedFile = expectedFileOf(file);
    expect(answer.lang).toBe(CSV_QUERY.test(file) ? 'csv' : 'json');
    const expected = fs.readFileSync(expectedFile, 'utf8');
    if (answer.lang === 'csv') expect(answer.text).toBe(expected);
    else expect(JSON.parse(answer.text)).toEqual(JSON.parse(expected));
  });

  it('finds each block with its answer (the parser itself)', () => {
    const md = '# T\n\n```graphql\n{ a }\n```\n\ntext\n\n```json\n{ "data": 1 }\n```\n\n```graphql\n{ b }\n```\n\n```sh\nx\n```\n';
    expect(docsExamples(md)).toEqual([
      { line: 3, query: '{ a }\n', answer: { lang: 'json', text: '{ "data": 1 }\n' } },
      { line: 13, query: '{ b }\n', answer: undefined },
    ]);
  });
});
