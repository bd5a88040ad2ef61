import fs from 'node:fs';
import path from 'node:path';
import { fromRoot } from '../../common/platform/paths';
import { importFiles } from '../../common/data/seed/seed';
import { createTestDatabase } from '../helpers/database';
import { graphql, startStack, type Stack } from '../helpers/stack';

/**
 * Rollups over more than one level need figures below the districts, which the seed articles do not give: this file
 * imports synthetic ones (test/fixtures/rollups/figures.csv, through the real importer) into its own database, then
 * runs each test/fixtures/rollups/NAME.graphql through the gateway against NAME.expected.json, as the smoke suite does.
 * UPDATE_EXPECTED=1 rewrites the expected files on a developer machine (never under CI).
 */
const dir = fromRoot('test/fixtures/rollups');
const queries = fs
  .readdirSync(dir)
  .filter((f) => f.endsWith('.graphql'))
  .sort();
const update = process.env.UPDATE_EXPECTED === '1' && !process.env.CI;

describe('rollups over several levels, on synthetic figures below the districts', () => {
  let stack: Stack;
  beforeAll(async () => {
    const url = await createTestDatabase('rollups');
    const summary = await importFiles(url, [path.join(dir, 'figures.csv')]);
    expect(summary.inserted).toBe(24);
    stack = await startStack(url);
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('the rollups of all 63 provinces in one request cost the same statements as those of 2 (one subtree sum for the batch)', async () => {
    const query = (first: number) => `{ localities(level: PROVINCE, asOf: "2025-03-01", first: ${first}) {
      nodes { code infrastructure { rollup(indicator: "infrastructure.stations.base_stations") { derived value coverage { complete } } } } } }`;
    await graphql(stack.gatewayUrl, query(1));
    const counts: number[] = [];
    for (const first of [2, 63]) {
      stack.resetSqlCount();
      const body = await graphql<{ localities: { nodes: Array<{ code: string; infrastructure: { rollup: { value: number } | null } }> } }>(
        stack.gatewayUrl,
        query(first),
      );
      expect(body.errors).toBeUndefined();
      expect(body.data!.localities.nodes).toHaveLength(first);
      counts.push(stack.sqlCount.infrastructure);
      if (first === 63) {
        const byCode = Object.fromEntries(body.data!.localities.nodes.map((n) => [n.code, n.infrastructure.rollup?.value ?? null]));
        expect([byCode['14'], byCode['48'], byCode['49'], byCode['01']]).toEqual([225, 1611, 350, null]);
      }
    }
    expect(counts[1]).toBe(counts[0]);
    expect(counts[1]).toBeLessThanOrEqual(6);
  });

  it.each(queries)('%s', async (file) => {
    const body = await graphql(stack.gatewayUrl, fs.readFileSync(path.join(dir, file), 'utf8'));
    expect(body.errors).toBeUndefined();
    const expectedFile = path.join(dir, file.replace(/\.graphql$/, '.expected.json'));
    if (update) fs.writeFileSync(expectedFile, JSON.stringify({ data: body.data }, null, 2) + '\n');
    expect({ data: body.data }).toEqual(JSON.parse(fs.readFileSync(expectedFile, 'utf8')));
  });
});
