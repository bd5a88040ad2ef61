import { createHash } from 'node:crypto';
import type { RequestContext } from '../../core/context';
import { badInput, ErrorCode, userError } from '../../core/errors';
import { LEVEL_DEPTH, type LocalityLevel } from '../../core/locality/locality-level';
import type { IndicatorRecord } from '../../core/observation/observation.record';
import { requireDomainScope } from '../../core/scopes';
import { isoDate } from '../locality/locality.service';
import type { IndicatorCatalogue } from '../observation/indicator-catalogue';
import type { Comparison, RankedRow, RankingFilter, RankingRepository } from './ranking.repository';

export const DEFAULT_RANKING_PAGE = 20;
export const MAX_RANKING_PAGE = 1000;
export const MAX_RANKING_FILTERS = 5;
const COMPARISONS: Comparison[] = ['gt', 'gte', 'lt', 'lte', 'eq'];

export type IndicatorFilterInput = { indicator: string } & Partial<Record<Comparison, number | null>>;

export interface RankingQuery {
  by: string;
  order?: 'DESC' | 'ASC' | null;
  level: LocalityLevel;
  parentCode?: string | null;
  /** Only units in force on this date, as `localities(asOf)`; every vintage without it. */
  asOf?: Date | null;
  where?: readonly IndicatorFilterInput[] | null;
  first?: number | null;
  after?: string | null;
}

export interface RankingPage {
  indicator: IndicatorRecord;
  nodes: RankedRow[];
  totalCount: number;
  missingCount: number;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

interface Cursor {
  /** Fingerprint of the ranking the cursor belongs to. */
  q: string;
  v: string;
  c: string;
}

const encodeCursor = (cursor: Cursor) => Buffer.from(JSON.stringify(cursor)).toString('base64url');

function decodeCursor(text: string, fingerprint: string): { value: string; code: string } {
  let cursor: Partial<Cursor> = {};
  try {
    cursor = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as Partial<Cursor>;
  } catch {
    // not JSON: reported below like any other foreign cursor
  }
  if (typeof cursor.v !== 'string' || !/^-?\d+(\.\d+)?$/.test(cursor.v) || typeof cursor.c !== 'string' || typeof cursor.q !== 'string') {
    throw badInput(`after: "${text}" is not a cursor returned by rankLocalities (use pageInfo.endCursor)`, 'after');
  }
  if (cursor.q !== fingerprint) throw badInput('after: this cursor belongs to a ranking with other arguments', 'after');
  return { value: cursor.v, code: cursor.c };
}

/**
 * Cross-domain ranking use case: validates the indicators (and the caller's scope for each, since a filter reveals
 * figures as surely as a sort), the scope and the bounds, then asks the repository for one keyset page.
 */
export class RankingService {
  constructor(
    private readonly catalogue: IndicatorCatalogue,
    private readonly repository: RankingRepository,
  ) {}

  async rank(ctx: RequestContext, query: RankingQuery): Promise<RankingPage> {
    const first = query.first ?? DEFAULT_RANKING_PAGE;
    if (!Number.isInteger(first) || first < 0 || first > MAX_RANKING_PAGE) {
      throw badInput(`first must be between 0 and ${MAX_RANKING_PAGE}, got ${first}`, 'first');
    }
    const byCode = await this.catalogue.byCode();
    const indicator = (code: string, argument: string) => {
      const found = byCode.get(code);
      if (!found) throw userError(ErrorCode.UNKNOWN_INDICATOR, `${argument}: no indicator has code "${code}" (see Query.indicators)`, { argument });
      requireDomainScope(ctx, found.domain, `${argument} (${code})`);
      return found;
    };
    const by = indicator(query.by, 'by');
    const where = query.where ?? [];
    if (where.length > MAX_RANKING_FILTERS) throw badInput(`where takes at most ${MAX_RANKING_FILTERS} filters, got ${where.length}`, 'where');
    const filters = where.map((f, i) => this.filter(f, indicator(f.indicator, `where[${i}].indicator`), `where[${i}]`));
    const parentCode = await this.checkScope(ctx, query.level, query.parentCode);

    const descending = (query.order ?? 'DESC') === 'DESC';
    const asOf = query.asOf ? isoDate(query.asOf) : undefined;
    const fingerprint = createHash('sha256')
      .update(
        JSON.stringify([by.code, descending, query.level, parentCode ?? null, asOf ?? null, filters.map((f) => [f.indicator.code, f.comparisons])]),
      )
      .digest('base64url')
      .slice(0, 12);
    const after = query.after ? decodeCursor(query.after, fingerprint) : undefined;
    // One row more than asked tells whether another page follows.
    const result = await this.repository.rank({ by, descending, level: query.level, parentCode, asOf, filters, after, limit: first + 1 });
    const nodes = result.rows.slice(0, first);
    for (const node of nodes) ctx.loaders.locality.prime(node.locality.code, node.locality);
    const last = nodes[nodes.length - 1];
    return {
      indicator: by,
      nodes,
      totalCount: result.total,
      missingCount: result.inScope - result.withValue,
      pageInfo: {
        hasNextPage: result.rows.length > first,
        endCursor: last ? encodeCursor({ q: fingerprint, v: last.valueText, c: last.locality.code }) : (query.after ?? null),
      },
    };
  }

  private filter(input: IndicatorFilterInput, indicator: IndicatorRecord, argument: string): RankingFilter {
    const comparisons = COMPARISONS.filter((op) => input[op] != null).map((op) => ({ op, value: input[op]! }));
    if (comparisons.length === 0) throw badInput(`${argument}: give at least one of ${COMPARISONS.join(', ')}`, argument);
    for (const { op, value } of comparisons) {
      if (indicator.unit === 'PERCENT' && (value < 0 || value > 100)) {
        throw badInput(`${argument}.${op}: ${indicator.code} is a percentage (0 to 100), got ${value}`, argument);
      }
      if (indicator.unit !== 'PERCENT' && value < 0) throw badInput(`${argument}.${op}: ${indicator.code} is never negative, got ${value}`, argument);
    }
    return { indicator, comparisons };
  }

  /** The parent must exist and lie above `level` (as in `localities`); returns the trimmed code. */
  private async checkScope(ctx: RequestContext, level: LocalityLevel, parentCode?: string | null): Promise<string | undefined> {
    if (parentCode == null) return undefined;
    const code = parentCode.trim();
    const parent = await ctx.loaders.locality.load(code);
    if (!parent) throw userError(ErrorCode.UNKNOWN_LOCALITY, `parentCode: no locality has code "${parentCode}"`, { argument: 'parentCode' });
    if (LEVEL_DEPTH[level] <= LEVEL_DEPTH[parent.level]) {
      throw badInput(`level ${level} is not below ${parent.level} ${parent.code} (${parent.name})`, 'level');
    }
    return code;
  }
}
