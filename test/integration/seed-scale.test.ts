/** `npm run seed:scale`: synthetic national-scale figures by COPY, in one transaction, replaceable and removable, real figures untouched. */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { DOMAINS } from '../../common/core/domain';
import { generateValues, loadScale, QUICK_SCALE, removeScale, scaleIndicators, scalePeriods, SYNTHETIC_DOCUMENT } from '../../common/data/seed/scale';
import { fromRoot } from '../../common/platform/paths';
import { count, createTestDatabase, withClient } from '../helpers/database';

const run = promisify(execFile);
/** Pre-reform registry: the country, 63 provinces, 696 districts, 10,047 communes. */
const PRE_REFORM_UNITS = 10_807;
const QUICK_INDICATORS = scaleIndicators(QUICK_SCALE.indicatorsPerDomain);

/** Count and content hash of every row of every source but the synthetic one: the seed documents' figures and sources. */
async function realRows(url: string): Promise<Record<string, string>> {
  return withClient(url, async (c) => {
    const out: Record<string, string> = {};
    for (const d of DOMAINS) {
      const { rows } = await c.query<{ n: number; h: string }>(
        `SELECT count(*)::int AS n, md5(string_agg(o::text || s::text, '|' ORDER BY o.id)) AS h
           FROM "${d}".observation o JOIN "${d}".source s ON s.id = o.source_id
          WHERE s.document IS DISTINCT FROM $1`,
        [SYNTHETIC_DOCUMENT],
      );
      out[d] = `${rows[0].n}:${rows[0].h}`;
    }
    return out;
  });
}

/** Synthetic rows of a domain, and a hash of their content without ids (so two loads can be compared). */
async function synthetic(url: string, domain: string): Promise<{ n: number; h: string | null }> {
  return withClient(url, async (c) => {
    const { rows } = await c.query<{ n: number; h: string | null }>(
      `SELECT count(*)::int AS n,
              md5(string_agg(concat_ws(',', o.locality_code, o.indicator_code, o.value, o.qualifier, o.period_start, o.period_end, o.period_label),
                             '|' ORDER BY o.locality_code, o.indicator_code, o.period_start)) AS h
         FROM "${domain}".observation o JOIN "${domain}".source s ON s.id = o.source_id WHERE s.document = $1`,
      [SYNTHETIC_DOCUMENT],
    );
    return rows[0];
  });
}

/** Rows of latest_observation that differ from the read model computed from scratch (migration 0005's query): must be none. */
async function latestDrift(url: string, domain: string): Promise<number> {
  return count(
    url,
    `WITH fresh AS (
       SELECT DISTINCT ON (o.locality_code, o.indicator_code) o.locality_code, o.indicator_code, o.id AS observation_id, o.value
         FROM "${domain}".observation o JOIN "${domain}".source s ON s.id = o.source_id
        WHERE o.part_of_unit IS NULL
        ORDER BY o.locality_code, o.indicator_code, coalesce(o.period_end, o.period_start) DESC NULLS LAST, o.period_start DESC NULLS LAST,
                 s.published_at DESC NULLS LAST, o.id DESC)
     SELECT count(*) AS n FROM (
       (SELECT locality_code, indicator_code, observation_id, value FROM fresh
        EXCEPT SELECT locality_code, indicator_code, observation_id, value FROM "${domain}".latest_observation)
       UNION ALL
       (SELECT locality_code, indicator_code, observation_id, value FROM "${domain}".latest_observation
        EXCEPT SELECT locality_code, indicator_code, observation_id, value FROM fresh)) d`,
  );
}

describe('seed:scale (quick: one quarter, four indicators per domain)', () => {
  let url: string;
  let real: Record<string, string>;
  beforeAll(async () => {
    url = await createTestDatabase('seed_scale');
    real = await realRows(url);
  });

  it('loads a figure for every pre-reform unit × indicator × quarter, except pairs that real figures hold', async () => {
    const summary = await loadScale(url, QUICK_SCALE);
    expect(summary).toMatchObject({ units: PRE_REFORM_UNITS, indicators: 12, periods: 1, deleted: 0 });
    for (const d of DOMAINS) {
      const pairsWithRealFigures = await count(
        url,
        `SELECT count(DISTINCT (locality_code, indicator_code)) AS n FROM "${d}".observation o JOIN "${d}".source s ON s.id = o.source_id
          WHERE s.document IS DISTINCT FROM $1 AND indicator_code = ANY($2::text[])
            AND locality_code IN (SELECT code FROM "${d}".locality WHERE valid_to IS NOT NULL OR code = 'VN')`,
        [SYNTHETIC_DOCUMENT, QUICK_INDICATORS[d].map((i) => i.code)],
      );
      expect(pairsWithRealFigures).toBeGreaterThan(0);
      expect(summary.domains[d].inserted).toBe(PRE_REFORM_UNITS * 4 - pairsWithRealFigures);
      expect((await synthetic(url, d)).n).toBe(summary.domains[d].inserted);
    }
    expect(summary.inserted).toBe(DOMAINS.reduce((n, d) => n + summary.domains[d].inserted, 0));
    expect(summary.rowsPerSecond).toBeGreaterThan(0);
  });

  it('marks every synthetic figure by its own source, and leaves the seed documents’ rows as they were', async () => {
    expect(await realRows(url)).toEqual(real);
    for (const d of DOMAINS) {
      const sources = await withClient(url, (c) =>
        c.query<{ title: string; title_supplied: boolean }>(`SELECT title, title_supplied FROM "${d}".source WHERE document = $1`, [
          SYNTHETIC_DOCUMENT,
        ]),
      );
      expect(sources.rows).toHaveLength(1);
      expect(sources.rows[0].title).toMatch(/^SYNTHETIC/);
      expect(sources.rows[0].title_supplied).toBe(true);
    }
  });

  it('writes plausible values: rates within 0–100, a province counts more than any commune, parents sum their children', async () => {
    const [q] = scalePeriods(1);
    expect(q).toEqual({ index: 7, start: '2025-04-01', end: '2025-06-30', label: '2025-Q2' });
    expect(scalePeriods(8)[0]).toEqual({ index: 0, start: '2023-07-01', end: '2023-09-30', label: '2023-Q3' });
    expect(() => scalePeriods(9)).toThrow('seed:scale periods must be an integer from 1 to 8, got 9');
    const rates = await count(
      url,
      `SELECT count(*) AS n FROM identity.observation o JOIN identity.indicator i ON i.code = o.indicator_code
        WHERE i.unit = 'PERCENT' AND o.notes = 'synthetic' AND (o.value < 0 OR o.value > 100)`,
    );
    expect(rates).toBe(0);
    const byLevel = await withClient(url, (c) =>
      c.query<{ level: string; lo: string; hi: string }>(
        `SELECT l.level, min(o.value)::text AS lo, max(o.value)::text AS hi
           FROM finance.observation o JOIN finance.locality l ON l.code = o.locality_code
          WHERE o.indicator_code = 'finance.account.transaction_account_holders' AND o.notes = 'synthetic' GROUP BY l.level`,
      ),
    );
    const level = Object.fromEntries(byLevel.rows.map((r) => [r.level, { lo: Number(r.lo), hi: Number(r.hi) }]));
    expect(level.COMMUNE.hi).toBeLessThan(level.DISTRICT.hi);
    expect(level.COMMUNE.hi).toBeLessThan(level.PROVINCE.lo);
    expect(level.PROVINCE.hi).toBeLessThan(level.COUNTRY.lo);
    // A district of Sơn La (116, Thành phố Sơn La, has real figures of its own: take 118) is the sum of its communes.
    const sums = await withClient(url, (c) =>
      c.query<{ own: string; summed: string }>(
        `SELECT p.value::text AS own, (SELECT sum(k.value) FROM infrastructure.observation k JOIN infrastructure.locality kl ON kl.code = k.locality_code
                                        WHERE kl.parent_code = p.locality_code AND k.indicator_code = p.indicator_code AND k.notes = 'synthetic')::text AS summed
           FROM infrastructure.observation p
          WHERE p.locality_code = '118' AND p.indicator_code = 'infrastructure.stations.base_stations' AND p.notes = 'synthetic'`,
      ),
    );
    expect(sums.rows).toHaveLength(1);
    expect(Number(sums.rows[0].own)).toBe(Number(sums.rows[0].summed));
  });

  it('keeps the ranking read model equal to one computed from scratch', async () => {
    for (const d of DOMAINS) expect(await latestDrift(url, d)).toBe(0);
    const latest = await count(
      url,
      `SELECT count(*) AS n FROM finance.latest_observation l JOIN finance.observation o ON o.id = l.observation_id
                                      WHERE o.notes = 'synthetic'`,
    );
    expect(latest).toBeGreaterThan(40_000);
  });

  it('is deterministic and replaces itself on a re-run', async () => {
    const before = await Promise.all(DOMAINS.map((d) => synthetic(url, d)));
    const again = await loadScale(url, QUICK_SCALE);
    expect(again.deleted).toBe(before.reduce((n, s) => n + s.n, 0));
    expect(await Promise.all(DOMAINS.map((d) => synthetic(url, d)))).toEqual(before);
    expect(await realRows(url)).toEqual(real);
    for (const d of DOMAINS) expect(await latestDrift(url, d)).toBe(0);
  });

  it('`npm run seed:scale -- --remove` deletes every synthetic row and source, and nothing else', async () => {
    const { stdout } = await run(process.execPath, [fromRoot('dist/scripts/seed-scale.js'), '--remove'], {
      env: { ...process.env, DATABASE_URL: url, LOG_LEVEL: 'silent' },
    });
    expect(stdout).toMatch(/^removed \d+ synthetic rows/);
    for (const d of DOMAINS) {
      expect((await synthetic(url, d)).n).toBe(0);
      expect(await count(url, `SELECT count(*) AS n FROM "${d}".source WHERE document = $1`, [SYNTHETIC_DOCUMENT])).toBe(0);
      expect(await latestDrift(url, d)).toBe(0);
    }
    expect(await realRows(url)).toEqual(real);
    // Removing again is a no-op.
    expect(await removeScale(url)).toMatchObject({ deleted: 0 });
  });
});

describe('seed:scale values', () => {
  const units = [
    { code: 'VN', parentCode: null, indexOrder: 3 },
    { code: '14', parentCode: 'VN', indexOrder: 0 },
    { code: '04000', parentCode: '14', indexOrder: 1 },
    { code: '04003', parentCode: '14', indexOrder: 2 },
  ];
  it('a quarter has the same figures whether a run writes one quarter or eight', () => {
    for (const indicator of [...QUICK_INDICATORS.finance, ...QUICK_INDICATORS.infrastructure]) {
      const one = generateValues(indicator, units, [7]);
      const eight = generateValues(indicator, units, [0, 1, 2, 3, 4, 5, 6, 7]);
      expect(units.map((_u, i) => one[i])).toEqual(units.map((_u, i) => eight[i * 8 + 7]));
      // Parents: the sum of their children (counts) or their mean (rates).
      const sum = one[2] + one[3];
      expect(one[1]).toBe(indicator.unit === 'PERCENT' ? Math.round((sum / 2) * 10) / 10 : sum);
    }
  });
});

describe('npm run seed:scale: bad input', () => {
  const cli = (args: string[], env: Record<string, string> = {}) =>
    run(process.execPath, [fromRoot('dist/scripts/seed-scale.js'), ...args], { env: { ...process.env, ...env, LOG_LEVEL: 'silent' } }).then(
      () => ({ code: 0, stderr: '' }),
      (err: { code: number; stderr: string }) => ({ code: err.code, stderr: err.stderr }),
    );

  it('names an unknown option and shows the usage (exit 2)', async () => {
    const { code, stderr } = await cli(['--bogus']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/^unknown option --bogus\n\nusage: npm run seed:scale/);
  });

  it('names a bad SEED_SCALE_PERIODS before touching the database (exit 1)', async () => {
    const { code, stderr } = await cli([], { SEED_SCALE_PERIODS: '9', DATABASE_URL: 'postgresql://nobody@127.0.0.1:1/none' });
    expect(code).toBe(1);
    expect(stderr).toMatch(/SEED_SCALE_PERIODS="9": Too big/);
  });
});

describe('seed:scale is all or nothing', () => {
  it('a failure in the last domain leaves no synthetic row in the first ones', async () => {
    const url = await createTestDatabase('seed_scale_fail');
    const real = await realRows(url);
    // The infrastructure schema loses a commune the others still have: its COPY cannot run, after identity's and finance's did.
    const deleted = await count(url, `WITH d AS (DELETE FROM infrastructure.locality WHERE code = '00004' RETURNING 1) SELECT count(*) AS n FROM d`);
    expect(deleted).toBe(1);
    await expect(loadScale(url, QUICK_SCALE)).rejects.toThrow(/^infrastructure: its registry or catalogue lacks units or indicators/);
    for (const d of DOMAINS) expect((await synthetic(url, d)).n).toBe(0);
    expect(await realRows(url)).toEqual(real);
  });
});
