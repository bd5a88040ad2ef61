import { In, type DataSource, type Repository } from 'typeorm';
import type { LocalityLevel } from '../../core/locality/locality-level';
import type { LocalityLinkRecord, LocalityRecord } from '../../core/locality/locality.record';
import { LocalityLinkEntity } from './locality-link.entity';
import { LocalityEntity } from './locality.entity';

/** The entity columns a LocalityRecord carries (TypeORM reads). */
const RECORD_FIELDS = {
  code: true,
  gsoCode: true,
  name: true,
  nameAscii: true,
  level: true,
  type: true,
  typeName: true,
  parentCode: true,
  ancestorCodes: true,
  validFrom: true,
  validTo: true,
} as const;

/** The same columns, camel-cased, for hand-written statements (here and in the ranking). */
export const COLUMNS = `code, gso_code AS "gsoCode", name, name_ascii AS "nameAscii", level, type, type_name AS "typeName",
  parent_code AS "parentCode", ancestor_codes AS "ancestorCodes",
  to_char(valid_from, 'YYYY-MM-DD') AS "validFrom", to_char(valid_to, 'YYYY-MM-DD') AS "validTo"`;

/** Units in force on the date parameter `$n` (a null bound is open); also the ranking's `asOf`. */
export const IN_FORCE = (n: string) => `(valid_from IS NULL OR valid_from <= ${n}::date) AND (valid_to IS NULL OR valid_to >= ${n}::date)`;

/** Order of every list: best match first (when searching), then tier, then vintage (pre-reform first), then GSO code. */
const ORDER = `depth, valid_from NULLS FIRST, gso_code, code`;

export interface LocalityFilter {
  level?: LocalityLevel;
  /** Direct children of this code (without `level`), or descendants at `level` below it. */
  parentCode?: string;
  /** With `parentCode` and no `level`: every unit below it, not only the direct children. */
  descendants?: boolean;
  /** Only units in force on this ISO date. */
  asOf?: string;
  /** Folded search text (see foldText); matched as a phrase of word prefixes. */
  search?: string;
  /** The search text as typed, also matched exactly against codes when it looks like one. */
  searchCode?: string;
}

/**
 * All reads of the locality registry. Plain lookups go through TypeORM; the hierarchy batch and the
 * ranked search are hand-written SQL, each saying why. Unqualified names resolve to the service's own schema.
 */
export class LocalityRepository {
  private readonly localities: Repository<LocalityEntity>;
  private readonly links: Repository<LocalityLinkEntity>;

  constructor(private readonly db: DataSource) {
    this.localities = db.getRepository(LocalityEntity);
    this.links = db.getRepository(LocalityLinkEntity);
  }

  async findByCodes(codes: readonly string[]): Promise<LocalityRecord[]> {
    if (codes.length === 0) return [];
    const rows = await this.localities.find({ select: RECORD_FIELDS, where: { code: In([...codes]) } });
    return rows as unknown as LocalityRecord[];
  }

  /** The units in force on `asOf` with these GSO codes (or keys): how a bare, reused code is read at a date. */
  async findInForce(asOf: string, codes: readonly string[]): Promise<LocalityRecord[]> {
    if (codes.length === 0) return [];
    return this.db.query(`SELECT ${COLUMNS} FROM locality WHERE (gso_code = ANY($2::text[]) OR code = ANY($2::text[])) AND ${IN_FORCE('$1')}`, [
      asOf,
      codes,
    ]);
  }

  /** Every reform link touching these units, either way, in one query. */
  async findLinks(codes: readonly string[]): Promise<LocalityLinkRecord[]> {
    if (codes.length === 0) return [];
    const rows = await this.links.find({
      select: { predecessorCode: true, successorCode: true, relation: true, confidence: true },
      where: [{ predecessorCode: In([...codes]) }, { successorCode: In([...codes]) }],
      order: { predecessorCode: 'ASC', successorCode: 'ASC' },
    });
    return rows as unknown as LocalityLinkRecord[];
  }

  /**
   * Children of many parents in one query: direct children, or all descendants at `level`. Hand-written:
   * joining `unnest(parents)` on the GIN-indexed ancestor array tags each row with the parent that asked for it.
   */
  async findChildren(parentCodes: readonly string[], level?: LocalityLevel): Promise<Array<LocalityRecord & { anchor: string }>> {
    if (parentCodes.length === 0) return [];
    if (!level) {
      return this.db.query(`SELECT ${COLUMNS}, parent_code AS anchor FROM locality WHERE parent_code = ANY($1::text[]) ORDER BY ${ORDER}`, [
        parentCodes,
      ]);
    }
    return this.db.query(
      `SELECT ${COLUMNS}, a.anchor
         FROM unnest($1::text[]) AS a(anchor)
         JOIN locality ON ancestor_codes @> ARRAY[a.anchor] AND level = $2
        ORDER BY ${ORDER}`,
      [parentCodes, level],
    );
  }

  /** Hand-written: word-prefix LIKE, ranking by match quality and the total in a window function, in one statement. */
  async search(filter: LocalityFilter, limit: number, offset: number): Promise<{ rows: LocalityRecord[]; total: number }> {
    const where: string[] = [];
    const params: unknown[] = [];
    const p = (v: unknown) => {
      params.push(v);
      return `$${params.length}`;
    };
    if (filter.level) where.push(`level = ${p(filter.level)}`);
    if (filter.parentCode) {
      const below = filter.level || filter.descendants;
      where.push(below ? `ancestor_codes @> ARRAY[${p(filter.parentCode)}::text]` : `parent_code = ${p(filter.parentCode)}`);
    }
    if (filter.asOf) where.push(IN_FORCE(p(filter.asOf)));
    let rank = '';
    if (filter.search) {
      const phrase = p(filter.search);
      // A phrase of word prefixes: folded text holds only [a-z0-9 |], so the phrase has no LIKE wildcards.
      const code = filter.searchCode ? p(filter.searchCode) : '';
      const byCode = code ? ` OR code = ${code} OR gso_code = ${code}` : '';
      where.push(`((' ' || search_key) LIKE ('% ' || ${phrase} || '%')${byCode})`);
      rank = `CASE WHEN name_key = ${phrase} THEN 0 WHEN name_key LIKE ${phrase} || '%' THEN 1 ELSE 2 END, `;
    }
    const whereSql = where.length ? `WHERE ${where.join(' AND ')}` : '';
    // One statement for the page and the total; only a page past the end needs a separate count.
    const rows: Array<LocalityRecord & { total: number }> = await this.db.query(
      `SELECT ${COLUMNS}, count(*) OVER ()::int AS total FROM locality ${whereSql}
        ORDER BY ${rank}${ORDER} LIMIT ${p(limit)} OFFSET ${p(offset)}`,
      params,
    );
    if (rows.length > 0) return { rows: rows.map(({ total: _t, ...r }) => r), total: rows[0].total };
    const count: Array<{ total: number }> = await this.db.query(
      `SELECT count(*)::int AS total FROM locality ${whereSql}`,
      params.slice(0, params.length - 2),
    );
    return { rows: [], total: count[0].total };
  }

  /** The levels that have units in force on each date, in one query. */
  async levelsInForce(dates: readonly string[]): Promise<Array<{ date: string; level: LocalityLevel }>> {
    if (dates.length === 0) return [];
    return this.db.query(
      `SELECT to_char(d.on_date, 'YYYY-MM-DD') AS date, lv.level
         FROM unnest($1::date[]) AS d(on_date)
         CROSS JOIN LATERAL (SELECT DISTINCT level FROM locality WHERE ${IN_FORCE('d.on_date')}) lv`,
      [dates],
    );
  }

  async countByLevel(): Promise<Record<string, number>> {
    const rows = await this.localities
      .createQueryBuilder('l')
      .select('l.level', 'level')
      .addSelect('count(*)::int', 'n')
      .groupBy('l.level')
      .getRawMany<{ level: string; n: number }>();
    return Object.fromEntries(rows.map((r) => [r.level, r.n]));
  }
}
