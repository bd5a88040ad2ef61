import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { DOMAINS } from '../../common/core/domain';
import { MIGRATIONS } from '../../common/data/database/data-source';
import { createLogger } from '../../common/platform/logger';
import { fromRoot } from '../../common/platform/paths';
import { readRegistry, REGISTRY_FILE, type RegistryValidationError } from '../../common/data/seed/registry';
import { prepareDatabase } from '../../common/data/seed/seed';
import { count, createEmptyDatabase, createTestDatabase, withClient } from '../helpers/database';
import { sharedData } from '../fixtures/shared-data';

const SHARED = sharedData(path.join('data', REGISTRY_FILE));
const EXPECTED = { COUNTRY: 1, PROVINCE: 63, DISTRICT: 696, COMMUNE: 10047 };

describe('the locality registry', () => {
  SHARED.describe('against ../shared/data', () => {
    it('the copy in seeds/ is the shared registry, unchanged', () => {
      expect(fs.readFileSync(fromRoot('seeds', REGISTRY_FILE), 'utf8')).toBe(fs.readFileSync(SHARED.path, 'utf8'));
    });
  });

  // The seeds/ copy: the check above proves it equals the shared file wherever ../shared exists.
  it('holds every province, district and commune of the registry in every domain schema', async () => {
    const file = fromRoot('seeds', REGISTRY_FILE);
    const rows = parse<{ code: string; level: string; parent_code: string }>(fs.readFileSync(file, 'utf8'), { columns: true });
    const fromFile = { province: 0, district: 0, commune: 0 } as Record<string, number>;
    rows.forEach((r) => (fromFile[r.level] += 1));
    expect(fromFile).toEqual({ province: EXPECTED.PROVINCE, district: EXPECTED.DISTRICT, commune: EXPECTED.COMMUNE });

    const url = await createTestDatabase('registry');
    for (const schema of DOMAINS) {
      const byLevel = await withClient(url, async (c) =>
        Object.fromEntries(
          (
            await c.query<{ level: string; n: number }>(
              `SELECT level, count(*)::int AS n FROM ${schema}.locality WHERE valid_from IS NULL GROUP BY level`,
            )
          ).rows.map((r) => [r.level, r.n]),
        ),
      );
      expect(byLevel).toEqual(EXPECTED);
      // Every code of the file is there, with its parent.
      const missing = await withClient(
        url,
        async (c) =>
          (
            await c.query<{ n: number }>(
              `SELECT count(*)::int AS n FROM unnest($1::text[], $2::text[]) f(code, parent)
                          LEFT JOIN ${schema}.locality l ON l.code = f.code AND l.parent_code = coalesce(nullif(f.parent, ''), 'VN')
                         WHERE l.code IS NULL`,
              [rows.map((r) => r.code), rows.map((r) => r.parent_code)],
            )
          ).rows[0].n,
      );
      expect(missing).toBe(0);
    }
  });

  it('keeps names with diacritics, accent-free names, types and the ancestor chain', async () => {
    const { rows } = readRegistry(fromRoot('seeds', REGISTRY_FILE));
    const byCode = new Map(rows.map((r) => [r.code, r]));
    expect(byCode.get('15472')).toMatchObject({
      name: 'Xã Định Hưng',
      nameAscii: 'Dinh Hung',
      level: 'COMMUNE',
      type: 'COMMUNE',
      typeName: 'Xã',
      parentCode: '394',
      ancestorCodes: ['VN', '38', '394'],
    });
    expect(byCode.get('116')).toMatchObject({ name: 'Thành phố Sơn La', type: 'CITY', parentCode: '14' });
    expect(byCode.get('381')).toMatchObject({ name: 'Thị xã Bỉm Sơn', type: 'TOWN' });
    expect(byCode.get('01')).toMatchObject({ type: 'CENTRAL_CITY', parentCode: 'VN' });
  });

  it('loads into an empty database, and loading again neither duplicates nor rewrites rows', async () => {
    const url = await createEmptyDatabase('registry_fresh');
    const log = createLogger('test', 'silent');
    await prepareDatabase(url, fromRoot('seeds'), log);
    const first = await count(url, 'SELECT count(*) AS n FROM finance.locality');
    expect(first).toBe(10807 + 34 + 3321);
    const xmin = await withClient(
      url,
      async (c) => (await c.query<{ xmin: string }>(`SELECT xmin::text FROM finance.locality WHERE code = '14'`)).rows[0].xmin,
    );
    await prepareDatabase(url, fromRoot('seeds'), log);
    expect(await count(url, 'SELECT count(*) AS n FROM finance.locality')).toBe(first);
    // Unchanged seed (same checksum): the row was not rewritten.
    expect(
      await withClient(url, async (c) => (await c.query<{ xmin: string }>(`SELECT xmin::text FROM finance.locality WHERE code = '14'`)).rows[0].xmin),
    ).toBe(xmin);
    const migrations = await count(url, 'SELECT count(*) AS n FROM identity.migrations');
    expect(migrations).toBe(MIGRATIONS.length);
  });

  it('rejects a registry file with a dangling parent, naming the file, line and column', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'atlas-reg-'));
    const file = path.join(dir, 'units.csv');
    fs.writeFileSync(
      file,
      'code,name,name_en,type,level,parent_code\n14,Tỉnh Sơn La,Son La,Tỉnh,province,\n116,Thành phố Sơn La,Son La,Thành phố,district,99\n',
    );
    let problems: string[] = [];
    try {
      readRegistry(file);
    } catch (err) {
      problems = (err as RegistryValidationError).problems;
    }
    expect(problems).toEqual(['units.csv:3 [parent_code]: parent 99 of 116 is not listed before it']);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
