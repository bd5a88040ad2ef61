import type { DataSource } from 'typeorm';
import { DOMAINS, type Domain } from '../../core/domain';
import type { LocalityLevel } from '../../core/locality/locality-level';
import type { LocalityRecord } from '../../core/locality/locality.record';
import { periodOf, type Qualifier } from '../../core/observation/observation.record';
import { COLUMNS, IN_FORCE } from '../locality/locality.repository';

export type Comparison = 'gt' | 'gte' | 'lt' | 'lte' | 'eq';
const OPERATOR: Record<Comparison, string> = { gt: '>', gte: '>=', lt: '<', lte: '<=', eq: '=' };

/** An indicator and the domain schema whose read model holds it. */
export interface RankedIndicator {
  code: string;
  domain: Domain;
}

export interface RankingFilter {
  indicator: RankedIndicator;
  comparisons: Array<{ op: Comparison; value: number }>;
}

export interface RankingSpec {
  by: RankedIndicator;
  descending: boolean;
  level: LocalityLevel;
  parentCode?: string;
  /** Only units in force on this ISO date (as `localities(asOf)`); every vintage without it. */
  asOf?: string;
  filters: RankingFilter[];
  /** Keyset: the sort key of the last row of the previous page (value as Postgres' exact numeric text). */
  after?: { value: string; code: string };
  limit: number;
}

export interface RankedRow {
  rank: number;
  value: number;
  /** The exact numeric text, for cursors: a float could fall between two stored values. */
  valueText: string;
  qualifier: Qualifier;
  period: { start: string | null; end: string | null; label: string | null } | null;
  locality: LocalityRecord;
}

export interface RankingResult {
  rows: RankedRow[];
  /** Units ranked: in scope, with a value of `by`, passing every filter. */
  total: number;
  /** Units of the scope (level under parent). */
  inScope: number;
  /** Units of the scope with a value of `by` (before the filters). */
  withValue: number;
}

interface Row extends LocalityRecord {
  total: number;
  in_scope: number;
  with_value: number;
  rank: number | null;
  value_text: string | null;
  qualifier: Qualifier;
  period_start: string | null;
  period_end: string | null;
  period_label: string | null;
}

/** `"<domain>".latest_observation`: the domain comes from the catalogue and is checked against DOMAINS, never from input text. */
function readModel(domain: Domain): string {
  if (!DOMAINS.includes(domain)) throw new Error(`not a domain: ${String(domain)}`);
  return `"${domain}".latest_observation`;
}

/**
 * The cross-domain ranking, in ONE statement whatever the page size: the scope from this schema's registry, the
 * ranked indicator and each filter from its own domain's read model (the one read that crosses schemas; it reads
 * only the read models), rank() over the whole filtered set, then a keyset page with its localities and the counts.
 */
export class RankingRepository {
  constructor(private readonly db: DataSource) {}

  async rank(spec: RankingSpec): Promise<RankingResult> {
    const params: unknown[] = [];
    const p = (v: unknown, cast = '') => {
      params.push(v);
      return `$${params.length}${cast}`;
    };
    const scopeWhere = [`level = ${p(spec.level)}`];
    if (spec.parentCode) scopeWhere.push(`ancestor_codes @> ARRAY[${p(spec.parentCode)}::text]`);
    if (spec.asOf) scopeWhere.push(IN_FORCE(p(spec.asOf)));
    const scope = `SELECT code FROM locality WHERE ${scopeWhere.join(' AND ')}`;
    const by = p(spec.by.code);
    const joins = spec.filters.map((f, i) => {
      const alias = `f${i}`;
      const conditions = f.comparisons.map((c) => `${alias}.value ${OPERATOR[c.op]} ${p(String(c.value), '::numeric')}`);
      return `JOIN ${readModel(f.indicator.domain)} ${alias} ON ${alias}.locality_code = b.locality_code
             AND ${alias}.indicator_code = ${p(f.indicator.code)} AND ${conditions.join(' AND ')}`;
    });
    const direction = spec.descending ? 'DESC' : 'ASC';
    let keyset = '';
    if (spec.after) {
      const value = p(spec.after.value, '::numeric');
      const code = p(spec.after.code);
      keyset = `WHERE (r.value ${spec.descending ? '<' : '>'} ${value} OR (r.value = ${value} AND r.locality_code COLLATE "C" > ${code}))`;
    }
    const rows: Row[] = await this.db.query(
      `WITH scope AS (${scope}),
       valued AS (
         SELECT b.* FROM ${readModel(spec.by.domain)} b JOIN scope ON scope.code = b.locality_code WHERE b.indicator_code = ${by}
       ),
       ranked AS (
         SELECT b.locality_code, b.value, b.qualifier, b.period_start, b.period_end, b.period_label,
                rank() OVER (ORDER BY b.value ${direction})::int AS rank
           FROM valued b ${joins.join('\n')}
       ),
       page AS (
         SELECT * FROM ranked r ${keyset} ORDER BY r.value ${direction}, r.locality_code COLLATE "C" LIMIT ${p(spec.limit)}
       )
       SELECT (SELECT count(*) FROM ranked)::int AS total, (SELECT count(*) FROM scope)::int AS in_scope,
              (SELECT count(*) FROM valued)::int AS with_value,
              page.rank, page.value::text AS value_text, page.qualifier,
              to_char(page.period_start, 'YYYY-MM-DD') AS period_start, to_char(page.period_end, 'YYYY-MM-DD') AS period_end,
              page.period_label, ${COLUMNS}
         FROM (SELECT 1) AS one
         LEFT JOIN page ON true
         LEFT JOIN locality ON locality.code = page.locality_code
        ORDER BY page.value ${direction}, page.locality_code COLLATE "C"`,
      params,
    );
    const first = rows[0];
    return {
      total: first.total,
      inScope: first.in_scope,
      withValue: first.with_value,
      rows: rows
        .filter((r) => r.rank != null)
        .map((r) => ({
          rank: r.rank!,
          value: Number(r.value_text),
          valueText: r.value_text!,
          qualifier: r.qualifier,
          period: periodOf(r.period_start, r.period_end, r.period_label),
          locality: {
            code: r.code,
            name: r.name,
            nameAscii: r.nameAscii,
            level: r.level,
            type: r.type,
            typeName: r.typeName,
            parentCode: r.parentCode,
            ancestorCodes: r.ancestorCodes,
            gsoCode: r.gsoCode,
            validFrom: r.validFrom,
            validTo: r.validTo,
          },
        })),
    };
  }
}
