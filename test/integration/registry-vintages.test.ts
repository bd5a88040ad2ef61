import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { DOMAINS } from '../../common/core/domain';
import { fromRoot, PROJECT_ROOT } from '../../common/platform/paths';
import { readRegistries, REGISTRY_VINTAGES } from '../../common/data/seed/registry';
import { REFORM_COMMUNES_FILE, REFORM_PROVINCES_FILE } from '../../common/data/seed/reform';
import { createTestDatabase, withClient } from '../helpers/database';

const SHARED_DIR = path.resolve(PROJECT_ROOT, '..', 'shared', 'data');
const FILES = [...REGISTRY_VINTAGES.map((v) => v.file), REFORM_PROVINCES_FILE, REFORM_COMMUNES_FILE];
const haveShared = fs.existsSync(SHARED_DIR);
// Beside ../shared the data is checked against it; CI must have it, a bare checkout skips these tests visibly.
if (!haveShared && process.env.CI) throw new Error(`${SHARED_DIR} is missing: CI must run beside ../shared`);
const withShared = haveShared ? it : it.skip;
if (!haveShared) console.warn(`${SHARED_DIR} is not beside this checkout: the registry-against-shared-data tests are skipped`);

const csvRows = (file: string): Record<string, string>[] => parse(fs.readFileSync(path.join(SHARED_DIR, file), 'utf8'), { columns: true });

describe('both registries and the 2025 reform links', () => {
  withShared.each(FILES)('seeds/%s is the shared file, unchanged', (file) => {
    expect(fs.readFileSync(fromRoot('seeds', file), 'utf8')).toBe(fs.readFileSync(path.join(SHARED_DIR, file), 'utf8'));
  });

  withShared('every domain schema holds each vintage as the shared files count it, and every mapping row as a link', async () => {
    const before = csvRows(REGISTRY_VINTAGES[0].file);
    const after = csvRows(REGISTRY_VINTAGES[1].file);
    const byLevel = (rows: Record<string, string>[]) =>
      rows.reduce<Record<string, number>>((n, r) => ({ ...n, [r.level.toUpperCase()]: (n[r.level.toUpperCase()] ?? 0) + 1 }), {});
    expect(byLevel(before)).toEqual({ PROVINCE: 63, DISTRICT: 696, COMMUNE: 10047 });
    expect(byLevel(after)).toEqual({ PROVINCE: 34, COMMUNE: 3321 });
    const communes = csvRows(REFORM_COMMUNES_FILE);
    const provinces = csvRows(REFORM_PROVINCES_FILE);

    const url = await createTestDatabase('registry_vintages');
    for (const schema of DOMAINS) {
      const counts = await withClient(url, async (c) => {
        const q = async (sql: string, params: unknown[] = []) => (await c.query<{ k: string; n: number }>(sql, params)).rows;
        const asOf = async (date: string) =>
          Object.fromEntries(
            (
              await q(
                `SELECT level AS k, count(*)::int AS n FROM ${schema}.locality
                  WHERE (valid_from IS NULL OR valid_from <= $1) AND (valid_to IS NULL OR valid_to >= $1) AND level <> 'COUNTRY' GROUP BY level`,
                [date],
              )
            ).map((r) => [r.k, r.n]),
          );
        return {
          before: await asOf('2025-03-01'),
          after: await asOf('2025-07-01'),
          specialZones: (await q(`SELECT '' AS k, count(*)::int AS n FROM ${schema}.locality WHERE type = 'SPECIAL_ZONE'`))[0].n,
          links: (await q(`SELECT '' AS k, count(*)::int AS n FROM ${schema}.locality_link`))[0].n,
          low: (await q(`SELECT '' AS k, count(*)::int AS n FROM ${schema}.locality_link WHERE confidence = 'LOW'`))[0].n,
          partial: (await q(`SELECT '' AS k, count(*)::int AS n FROM ${schema}.locality_link WHERE relation = 'PARTIAL'`))[0].n,
          // Every new unit came from somewhere, and every old commune went somewhere.
          orphansAfter: (
            await q(`SELECT '' AS k, count(*)::int AS n FROM ${schema}.locality l WHERE valid_from = '2025-07-01'
                      AND NOT EXISTS (SELECT 1 FROM ${schema}.locality_link k WHERE k.successor_code = l.code)`)
          )[0].n,
          orphansBefore: (
            await q(`SELECT '' AS k, count(*)::int AS n FROM ${schema}.locality l WHERE valid_to = '2025-06-30' AND level IN ('PROVINCE', 'COMMUNE')
                      AND NOT EXISTS (SELECT 1 FROM ${schema}.locality_link k WHERE k.predecessor_code = l.code)`)
          )[0].n,
        };
      });
      expect(counts).toEqual({
        before: byLevel(before),
        after: byLevel(after),
        specialZones: after.filter((r) => r.type === 'Đặc khu').length,
        links: communes.length + provinces.length,
        low: communes.filter((r) => r.verified_in_resolution === 'no').length,
        partial: communes.filter((r) => r.relation === 'partial').length,
        orphansAfter: 0,
        orphansBefore: 0,
      });
    }
    expect(after.filter((r) => r.type === 'Đặc khu')).toHaveLength(13);
    expect(communes.filter((r) => r.verified_in_resolution === 'no')).toHaveLength(188);
  });

  it('refuses a mapping row that names a unit of no registry, with its file, line and column', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'atlas-reform-'));
    try {
      for (const file of FILES) fs.copyFileSync(fromRoot('seeds', file), path.join(dir, file));
      const text = fs.readFileSync(path.join(dir, REFORM_COMMUNES_FILE), 'utf8').split('\n');
      text[3] = text[3].replace(/^(\d+),/, '99999,');
      fs.writeFileSync(path.join(dir, REFORM_COMMUNES_FILE), text.join('\n'));
      expect(() => readRegistries(dir)).toThrow(`${REFORM_COMMUNES_FILE}:4 [old_code]: old unit 99999 is not a commune or district of its registry`);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
