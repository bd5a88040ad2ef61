import { In, type DataSource, type Repository } from 'typeorm';
import type { LocalityLevel } from '../../core/locality/locality-level';
import type { LocalityRecord } from '../../core/locality/locality.record';
import { LocalityEntity } from './locality.entity';

/** The entity columns a LocalityRecord carries (TypeORM reads). */
const RECORD_FIELDS = {
  code: true,
  name: true,
  nameAscii: true,
  level: true,
  type: true,
  typeName: true,
  parentCode: true,
  ancestorCodes: true,
} as const;

/** The same columns, camel-cased, for hand-written statements (here and in the ranking). */
export const COLUMNS = `code, name, name_ascii AS "nameAscii", level, type, type_name AS "typeName",
  parent_code AS "parentCode", ancestor_codes AS "ancestorCodes"`;

export interface LocalityFilter {
  level?: LocalityLevel;
  /** Direct children of this code (without `level`), or descendants at `level` below it. */
  parentCode?: string;
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

  constructor(private readonly db: DataSource) {
    this.localities = db.getRepository(LocalityEntity);
  }

  async findByCodes(codes: readonly string[]): Promise<LocalityRecord[]> {
    if (codes.length === 0) return [];
    const rows = await this.localities.find({ select: RECORD_FIELDS, where: { code: In([...codes]) } });
    return rows as unknown as LocalityRecord[];
  }

  /**
   * Children of many parents in one query: direct children, or all descendants at `level`. Hand-written:
   * joining `unnest(parents)` on the GIN-indexed ancestor array tags each row with the parent that asked for it.
   */
  async findChildren(parentCodes: readonly string[], level?: LocalityLevel): Promise<Array<LocalityRecord & { anchor: string }>> {
    if (parentCodes.length === 0) return [];
    if (!level) {
      return this.db.query(`SELECT ${COLUMNS}, parent_code AS anchor FROM locality WHERE parent_code = ANY($1::text[]) ORDER BY code`, [parentCodes]);
    }
    return this.db.query(
      `SELECT ${COLUMNS}, a.anchor
         FROM unnest($1::text[]) AS a(anchor)
         JOIN locality ON ancestor_codes @> ARRAY[a.anchor] AND level = $2
        ORDER BY code`,
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
      where.push(filter.level ? `ancestor_codes @> ARRAY[${p(filter.parentCode)}::text]` : `parent_code = ${p(filter.parentCode)}`);
    }
    let rank = '';
    if (filter.search) {
      const phrase = p(filter.search);
      // A phrase of word prefixes: folded text holds only [a-z0-9 |], so the phrase has no LIKE wildcards.
      const byCode = filter.searchCode ? ` OR code = ${p(filter.searchCode)}` : '';
      where.push(`((' ' || search_key) LIKE ('% ' || ${phrase} || '%')${byCode})`);
      rank = `CASE WHEN name_key = ${phrase} THEN 0 WHEN name_key LIKE ${phrase} || '%' THEN 1 ELSE 2 END, `;
    }
    const whereSql = where.length ? `WHERE ${where.join(' AND ')}` : '';
    // One statement for the page and the total; only a page past the end needs a separate count.
    const rows: Array<LocalityRecord & { total: number }> = await this.db.query(
      `SELECT ${COLUMNS}, count(*) OVER ()::int AS total FROM locality ${whereSql}
        ORDER BY ${rank}depth, code LIMIT ${p(limit)} OFFSET ${p(offset)}`,
      params,
    );
    if (rows.length > 0) return { rows: rows.map(({ total: _t, ...r }) => r), total: rows[0].total };
    const count: Array<{ total: number }> = await this.db.query(
      `SELECT count(*)::int AS total FROM locality ${whereSql}`,
      params.slice(0, params.length - 2),
    );
    return { rows: [], total: count[0].total };
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
