import type { DataSource } from 'typeorm';
import { periodOf } from '../../core/observation/observation.record';
import type { HierarchyRollupRow, RollupLevelRow } from '../../core/observation/rollup.record';

interface Row {
  root: string;
  indicator: string;
  period_start: string | null;
  period_end: string | null;
  period_label: string | null;
  value: string;
  all_exact: boolean;
  all_lower_bounds: boolean;
  reported_by: string[];
  children: number;
  contributors: string[] | null;
  complete: boolean;
  levels: RollupLevelRow[];
}

/** Units in force on `on` (a column of the period row). */
const IN_FORCE = (l: string, on: string) =>
  `(${l}.valid_from IS NULL OR ${l}.valid_from <= ${on}) AND (${l}.valid_to IS NULL OR ${l}.valid_to >= ${on})`;

/**
 * Sums of counts over whole subtrees, in one set-based statement for a batch of (unit, indicator) pairs.
 * `ancestor_codes` is the registry's closure (the path from the country, GIN-indexed), so a subtree is one join:
 * no recursion and no query per level. Figures come from the latest-value read model (whole units only).
 */
export class RollupRepository {
  constructor(private readonly db: DataSource) {}

  async sumBelow(pairs: ReadonlyArray<{ root: string; indicator: string }>): Promise<HierarchyRollupRow[]> {
    if (pairs.length === 0) return [];
    const rows: Row[] = await this.db.query(
      `WITH t AS (SELECT * FROM unnest($1::text[], $2::text[]) AS t(root, indicator)),
       -- each unit's latest whole-unit figure, for every unit below each root
       fig AS (
         SELECT t.root, t.indicator, l.code, l.level, l.depth, l.ancestor_codes, l.valid_from, l.valid_to,
                lo.value, lo.qualifier, lo.period_start, lo.period_end, lo.period_label
           FROM t
           JOIN latest_observation lo ON lo.indicator_code = t.indicator
           JOIN locality l ON l.code = lo.locality_code AND l.ancestor_codes @> ARRAY[t.root]),
       -- the most recent period any of them reports; units must be in force on its date (undated: a day its reporter was in force)
       p AS (
         SELECT DISTINCT ON (root, indicator) root, indicator, period_start, period_end, period_label,
                coalesce(period_end, period_start, valid_to, valid_from) AS on_date
           FROM fig f
          WHERE coalesce(period_end, period_start) IS NULL OR (${IN_FORCE('f', 'coalesce(period_end, period_start)')})
          ORDER BY root, indicator, coalesce(period_end, period_start) DESC NULLS LAST, period_start DESC NULLS LAST, valid_from NULLS FIRST),
       rep AS (
         SELECT f.* FROM fig f JOIN p USING (root, indicator)
          WHERE f.period_start IS NOT DISTINCT FROM p.period_start AND f.period_end IS NOT DISTINCT FROM p.period_end
            AND ${IN_FORCE('f', 'p.on_date')}),
       -- summed: a reporting unit with no reporting unit above it (below the root); a reported district hides its communes
       top AS (
         SELECT r.* FROM rep r
          WHERE NOT EXISTS (SELECT 1 FROM rep a WHERE a.root = r.root AND a.indicator = r.indicator AND r.ancestor_codes @> ARRAY[a.code])),
       reporters AS (SELECT root, indicator, array_agg(code) AS codes FROM rep GROUP BY root, indicator),
       summed AS (SELECT root, indicator, array_agg(code) AS codes FROM top GROUP BY root, indicator),
       -- every unit below the root in force on the period's date: covered (it or a unit above it reports), summed itself
       below AS (
         SELECT p.root, p.indicator, l.code, l.level, l.depth, l.parent_code, l.ancestor_codes,
                (l.ancestor_codes || l.code) && r.codes AS covered, l.code = ANY(s.codes) AS summed
           FROM p JOIN reporters r USING (root, indicator) JOIN summed s USING (root, indicator)
           JOIN locality l ON l.ancestor_codes @> ARRAY[p.root] AND ${IN_FORCE('l', 'p.on_date')}),
       -- a leaf has no unit in force below it (hash anti-join, not a probe per unit)
       unit AS (
         SELECT b.*, c.parent_code IS NULL AS leaf
           FROM below b
           LEFT JOIN (SELECT DISTINCT root, indicator, parent_code FROM below) c
             ON c.root = b.root AND c.indicator = b.indicator AND c.parent_code = b.code)
       SELECT p.root, p.indicator, to_char(p.period_start, 'YYYY-MM-DD') AS period_start, to_char(p.period_end, 'YYYY-MM-DD') AS period_end,
              p.period_label,
              (SELECT sum(value)::text FROM top x WHERE x.root = p.root AND x.indicator = p.indicator) AS value,
              (SELECT bool_and(qualifier = 'EXACT') FROM top x WHERE x.root = p.root AND x.indicator = p.indicator) AS all_exact,
              (SELECT bool_and(qualifier IN ('EXACT', 'AT_LEAST')) FROM top x WHERE x.root = p.root AND x.indicator = p.indicator) AS all_lower_bounds,
              (SELECT array_agg(code ORDER BY depth, code) FROM top x WHERE x.root = p.root AND x.indicator = p.indicator) AS reported_by,
              (SELECT count(*)::int FROM unit u WHERE u.root = p.root AND u.indicator = p.indicator AND u.parent_code = p.root) AS children,
              (SELECT array_agg(u.code ORDER BY u.code) FROM unit u
                WHERE u.root = p.root AND u.indicator = p.indicator AND u.parent_code = p.root
                  AND EXISTS (SELECT 1 FROM top x WHERE x.root = p.root AND x.indicator = p.indicator
                                 AND (x.code = u.code OR x.ancestor_codes @> ARRAY[u.code]))) AS contributors,
              NOT EXISTS (SELECT 1 FROM unit u WHERE u.root = p.root AND u.indicator = p.indicator AND u.leaf AND NOT u.covered) AS complete,
              (SELECT coalesce(json_agg(json_build_object('level', level, 'of', n, 'reported', r) ORDER BY depth), '[]'::json)
                 FROM (SELECT u.level, u.depth, count(*)::int AS n,
                              count(*) FILTER (WHERE u.summed)::int AS r
                         FROM unit u WHERE u.root = p.root AND u.indicator = p.indicator GROUP BY u.level, u.depth) lv) AS levels
         FROM p`,
      [pairs.map((p) => p.root), pairs.map((p) => p.indicator)],
    );
    return rows.map((r) => ({
      root: r.root,
      indicator: r.indicator,
      period: periodOf(r.period_start, r.period_end, r.period_label),
      value: Number(r.value),
      allExact: r.all_exact,
      allLowerBounds: r.all_lower_bounds,
      reportedBy: r.reported_by,
      children: r.children,
      contributors: r.contributors ?? [],
      complete: r.complete,
      levels: r.levels,
    }));
  }
}
