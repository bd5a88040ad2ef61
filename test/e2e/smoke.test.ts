import fs from 'node:fs';
import path from 'node:path';
import { fromRoot } from '../../common/platform/paths';
import { createTestDatabase } from '../helpers/database';
import { graphql, startStack, type Stack } from '../helpers/stack';

/**
 * The smoke suite: every test/queries/NAME.graphql is sent to the gateway over HTTP and the answer
 * must equal NAME.expected.json. Errors are compared by message, code and path only.
 * UPDATE_EXPECTED=1 rewrites the expected files on a developer machine; a changed expected file is
 * committed as a reviewed diff with its reason, never regenerated in CI.
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

function normalise(body: Awaited<ReturnType<typeof graphql>>) {
  return {
    ...(body.data !== undefined ? { data: body.data } : {}),
    ...(body.errors
      ? { errors: body.errors.map((e) => ({ message: e.message, code: e.extensions?.code, ...(e.path ? { path: e.path } : {}) })) }
      : {}),
  };
}

describe('smoke queries through the gateway', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack(await createTestDatabase('smoke'));
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('has queries to run', () => {
    expect(queries.length).toBeGreaterThan(5);
  });

  it.each(queries)('%s', async (file) => {
    const query = fs.readFileSync(path.join(dir, file), 'utf8');
    const actual = normalise(await graphql(stack.gatewayUrl, query));
    const expectedFile = path.join(dir, file.replace(/\.graphql$/, '.expected.json'));
    if (update) fs.writeFileSync(expectedFile, JSON.stringify(actual, null, 2) + '\n');
    expect(actual).toEqual(JSON.parse(fs.readFileSync(expectedFile, 'utf8')));
  });
});
