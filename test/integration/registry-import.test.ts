/**
 * `npm run import:registry` (dist/scripts/import-registry.js, built by `npm test`) as a real process on a real
 * Postgres: a later GSO list loads as a new vintage in one command, a bad one is refused line by line with nothing
 * written, a re-run changes nothing, and a gateway already running on the same database serves the new units.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DOMAINS } from '../../common/core/domain';
import { PROJECT_ROOT } from '../../common/platform/paths';
import { createTestDatabase, withClient } from '../helpers/database';
import { runNode } from '../helpers/processes';
import { graphql, startStack, type Stack } from '../helpers/stack';
import { HEADER, writeVintage } from './registry-import.fixtures';

const CLI = path.join(PROJECT_ROOT, 'dist', 'scripts', 'import-registry.js');
const cli = (args: string[], databaseUrl: string) => runNode([CLI, ...args], { DATABASE_URL: databaseUrl, LOG_LEVEL: 'silent' }, 60_000);
/** Row count and content of the registry tables of every domain schema: equal before and after = nothing written. */
async function registryFingerprint(url: string): Promise<Record<string, string>> {
  return withClient(url, async (c) => {
    const out: Record<string, string> = {};
    for (const d of DOMAINS) {
      for (const t of ['locality', 'locality_link', 'seed_state']) {
        const { rows } = await c.query<{ f: string }>(
          `SELECT count(*) || ':' || coalesce(md5(string_agg(x::text, '|' ORDER BY x::text)), '') AS f FROM "${d}".${t} x`,
        );
        out[`${d}.${t}`] = rows[0].f;
      }
    }
    return out;
  });
}

describe('npm run import:registry', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'atlas-registry-import-'));
  let url: string;
  let stack: Stack | undefined;
  beforeAll(async () => {
    if (!fs.existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first`);
    url = await createTestDatabase('registry_import');
  });
  afterAll(async () => {
    await stack?.stop();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('refuses bad files with every problem as file:line [column], exit 1, and writes nothing', async () => {
    const dir = path.join(root, 'bad');
    fs.mkdirSync(dir);
    fs.writeFileSync(
      path.join(dir, 'admin-units-2026-01-01.csv'),
      [
        HEADER,
        '01,Thành phố Hà Nội,Ha Noi,Thành phố Trung ương,province,',
        '00004,Phường Ba Đình,Ba Dinh,Phường Mới,commune,01',
        '00008,Phường Ngọc Hà,Ngoc Ha,Phường,commune,77',
        '0004X,Phường Lạ,,Phường,commune,01',
        '01,Thành phố Hà Nội,Ha Noi,Thành phố Trung ương,province,',
      ].join('\n') + '\n',
    );
    const before = await registryFingerprint(url);
    const { code, stdout, stderr } = await cli(['--vintage', '2026-01-01', dir], url);
    const file = path.join(path.relative(PROJECT_ROOT, dir), 'admin-units-2026-01-01.csv');
    expect(stdout).toBe('');
    expect(stderr).toContain(`${file}:3 [type]: unknown unit type "Phường Mới"`);
    expect(stderr).toContain(`${file}:4 [parent_code]: parent 77 of 00008 is not listed before it`);
    expect(stderr).toContain(`${file}:5 [code]: code "0004X" is not a GSO code (2 to 5 digits)`);
    expect(stderr).toContain(`${file}:5 [name_en]: name_en is required`);
    expect(stderr).toContain(`${file}:6 [code]: code 01 appears twice`);
    expect(stderr).toMatch(/^registry import rejected: 5 problems in the registry files: nothing was written$/m);
    expect(code).toBe(1);
    expect(await registryFingerprint(url)).toEqual(before);
  }, 90_000);

  it('refuses a mapping row naming a unit of neither list, with its line, and writes nothing', async () => {
    const dir = path.join(root, 'bad-links');
    fs.mkdirSync(dir);
    writeVintage(dir);
    fs.appendFileSync(path.join(dir, 'links-2026-01-01.csv'), '99999,00005,whole,maybe\n');
    const lines = fs.readFileSync(path.join(dir, 'links-2026-01-01.csv'), 'utf8').trim().split('\n').length;
    const before = await registryFingerprint(url);
    const { code, stderr } = await cli(['--vintage', '2026-01-01', dir], url);
    const file = path.join(path.relative(PROJECT_ROOT, dir), 'links-2026-01-01.csv');
    expect(stderr).toContain(`${file}:${lines} [old_code]: 99999 is not the GSO code of a unit in force the day before this list`);
    expect(stderr).toContain(`${file}:${lines} [relation]: relation "whole" is not full or partial`);
    expect(stderr).toContain(`${file}:${lines} [verified_in_resolution]: "maybe" is not yes, no or empty`);
    expect(code).toBe(1);
    expect(await registryFingerprint(url)).toEqual(before);
  }, 90_000);

  it('loads a later list in one command beside a running gateway, which serves it at once; a re-run changes nothing', async () => {
    stack = await startStack(url);
    const dir = path.join(root, 'good');
    fs.mkdirSync(dir);
    const { units, links } = writeVintage(dir);
    const query = `{
      after: localities(level: PROVINCE, asOf: "2026-01-01") { totalCount }
      communes: localities(level: COMMUNE, asOf: "2026-01-01") { totalCount }
      before: localities(level: PROVINCE, asOf: "2025-07-01") { totalCount }
      old: locality(code: "2025:00004") { validTo successors { locality { code gsoCode name validFrom parent { code } } relation confidence } }
      merged: locality(code: "00005", asOf: "2026-01-01") { code predecessors { locality { code } relation confidence } }
      hanoi: locality(code: "01", asOf: "2026-01-01") { code validFrom children(level: COMMUNE) { code } }
    }`;
    // Before: the list of 1 July 2025 is open-ended, so it is the one in force on 1 January 2026.
    const first = await graphql<{ hanoi: { code: string }; old: { validTo: string | null } }>(stack.gatewayUrl, query);
    expect(first.errors).toBeUndefined();
    expect(first.data!.hanoi.code).toBe('2025:01');
    expect(first.data!.old.validTo).toBeNull();

    const unchanged = await registryFingerprint(url);
    const dry = await cli(['--vintage', '2026-01-01', '--dry-run', dir], url);
    expect(dry.stdout).toContain(`dry run (nothing written): vintage 2026-01-01 (keys 2026:<GSO code>): ${units} units`);
    expect(dry.code).toBe(0);
    expect(await registryFingerprint(url)).toEqual(unchanged);

    const run = await cli(['--vintage', '2026-01-01', dir], url);
    expect(run.stderr).toBe('');
    expect(run.stdout).toContain(
      `vintage 2026-01-01 (keys 2026:<GSO code>): ${units} units, ${links} links, 3355 units of the previous list end 2026-01-01`,
    );
    expect(run.code).toBe(0);

    const body = await graphql<{
      after: { totalCount: number };
      communes: { totalCount: number };
      before: { totalCount: number };
      old: { validTo: string; successors: unknown[] };
      merged: { code: string; predecessors: unknown[] };
      hanoi: { code: string; validFrom: string; children: Array<{ code: string }> };
    }>(stack.gatewayUrl, query);
    expect(body.errors).toBeUndefined();
    const d = body.data!;
    expect([d.after.totalCount, d.communes.totalCount, d.before.totalCount]).toEqual([34, 3320, 34]);
    expect(d.old).toEqual({
      validTo: '2025-12-31',
      successors: [
        {
          locality: { code: '2026:00005', gsoCode: '00005', name: 'Phường Ba Đình Mới', validFrom: '2026-01-01', parent: { code: '2026:01' } },
          relation: 'FULL',
          confidence: 'HIGH',
        },
      ],
    });
    expect(d.merged).toEqual({
      code: '2026:00005',
      predecessors: [
        { locality: { code: '2025:00004' }, relation: 'FULL', confidence: 'HIGH' },
        { locality: { code: '2025:00008' }, relation: 'FULL', confidence: 'LOW' },
      ],
    });
    expect(d.hanoi.code).toBe('2026:01');
    expect(d.hanoi.children.map((c) => c.code)).toContain('2026:00005');

    const written = await registryFingerprint(url);
    const again = await cli(['--vintage', '2026-01-01', dir], url);
    expect(again.stdout).toContain('vintage 2026-01-01 is already loaded with these files: nothing changed');
    expect(again.code).toBe(0);
    expect(await registryFingerprint(url)).toEqual(written);

    // Loading the seeds' own lists again (as after an upgrade that changes them) keeps the later vintage and its links.
    await withClient(url, async (c) => {
      for (const d of DOMAINS) await c.query(`DELETE FROM "${d}".seed_state WHERE name = 'registry'`);
    });
    const reseed = await runNode([path.join(PROJECT_ROOT, 'dist', 'scripts', 'seed.js')], { DATABASE_URL: url, LOG_LEVEL: 'silent' }, 60_000);
    expect(reseed.code).toBe(0);
    const reseeded = await registryFingerprint(url);
    for (const d of DOMAINS) {
      expect(reseeded[`${d}.locality`]).toBe(written[`${d}.locality`]);
      expect(reseeded[`${d}.locality_link`]).toBe(written[`${d}.locality_link`]);
    }

    // An earlier list cannot come after a later one.
    fs.copyFileSync(path.join(dir, 'admin-units-2026-01-01.csv'), path.join(dir, 'admin-units-2025-10-01.csv'));
    const late = await cli(['--vintage', '2025-10-01', dir], url);
    expect(late.stderr).toContain('--vintage 2025-10-01: the list of 2026-01-01 is already loaded; vintages load in date order');
    expect(late.code).toBe(1);
  }, 180_000);

  it('says what is wrong with the command itself: exit 2 with the usage', async () => {
    const missing = await cli(['--vintage', '2026-01-01'], url);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('usage: npm run import:registry -- --vintage YYYY-MM-DD');
    const badDate = await cli(['--vintage', '2026-02-30', root], url);
    expect(badDate.stderr).toContain('--vintage "2026-02-30" is not a calendar date');
    expect(badDate.code).toBe(1);
  }, 60_000);
});
