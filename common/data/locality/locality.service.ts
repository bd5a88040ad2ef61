import { badInput, ErrorCode, userError } from '../../core/errors';
import type { RequestContext } from '../../core/context';
import { LEVEL_DEPTH, type LocalityLevel } from '../../core/locality/locality-level';
import { LOCALITY_CODE_SHAPE, type LocalityRecord } from '../../core/locality/locality.record';
import { childrenKey } from './locality.loaders';
import type { LocalityRepository } from './locality.repository';
import { foldText } from '../../core/locality/normalize';

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 1000;

export interface LocalityQuery {
  level?: LocalityLevel | null;
  parentCode?: string | null;
  search?: string | null;
  first?: number | null;
  after?: string | null;
}

export interface LocalityPage {
  nodes: LocalityRecord[];
  totalCount: number;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

const CURSOR_PREFIX = 'offset:';
export const encodeCursor = (offset: number) => Buffer.from(`${CURSOR_PREFIX}${offset}`).toString('base64url');
export function decodeCursor(cursor: string): number {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const offset = text.startsWith(CURSOR_PREFIX) ? Number(text.slice(CURSOR_PREFIX.length)) : NaN;
  if (!Number.isInteger(offset) || offset < 0) {
    throw badInput(`after: "${cursor}" is not a cursor returned by this API (use pageInfo.endCursor)`, 'after');
  }
  return offset;
}

/** Registry use cases: lookup, listing with search and paging, and the hierarchy, batched through loaders. */
export class LocalityService {
  constructor(private readonly repository: LocalityRepository) {}

  byCode(ctx: RequestContext, code: string): Promise<LocalityRecord | null> {
    return ctx.loaders.locality.load(code.trim());
  }

  async list(ctx: RequestContext, query: LocalityQuery): Promise<LocalityPage> {
    const first = query.first ?? DEFAULT_PAGE_SIZE;
    if (!Number.isInteger(first) || first < 0 || first > MAX_PAGE_SIZE) {
      throw badInput(`first must be between 0 and ${MAX_PAGE_SIZE}, got ${first}`, 'first');
    }
    const offset = query.after ? decodeCursor(query.after) : 0;
    let parentCode: string | undefined;
    if (query.parentCode != null) {
      parentCode = query.parentCode.trim();
      const parent = await this.byCode(ctx, parentCode);
      if (!parent) {
        throw userError(ErrorCode.UNKNOWN_LOCALITY, `parentCode: no locality has code "${query.parentCode}"`, {
          argument: 'parentCode',
        });
      }
      if (query.level && LEVEL_DEPTH[query.level] <= LEVEL_DEPTH[parent.level]) {
        throw badInput(`level ${query.level} is not below ${parent.level} ${parent.code} (${parent.name})`, 'level');
      }
    }
    let search: string | undefined;
    if (query.search != null) {
      search = foldText(query.search);
      if (!search) throw badInput('search must contain at least one letter or digit', 'search');
    }
    const asCode = query.search?.trim().toUpperCase();
    const { rows, total } = await this.repository.search(
      { level: query.level ?? undefined, parentCode, search, searchCode: asCode && LOCALITY_CODE_SHAPE.test(asCode) ? asCode : undefined },
      first,
      offset,
    );
    for (const row of rows) ctx.loaders.locality.prime(row.code, row);
    const end = offset + rows.length;
    return {
      nodes: rows,
      totalCount: total,
      pageInfo: { hasNextPage: end < total, endCursor: rows.length ? encodeCursor(end) : (query.after ?? null) },
    };
  }

  parent(ctx: RequestContext, locality: LocalityRecord): Promise<LocalityRecord | null> {
    return locality.parentCode ? ctx.loaders.locality.load(locality.parentCode) : Promise.resolve(null);
  }

  /** Root first: country, province, district. */
  async ancestors(ctx: RequestContext, locality: LocalityRecord): Promise<LocalityRecord[]> {
    const found = await ctx.loaders.locality.loadMany(locality.ancestorCodes);
    return found.filter((r): r is LocalityRecord => r != null && !(r instanceof Error));
  }

  children(ctx: RequestContext, locality: LocalityRecord, level?: LocalityLevel | null): Promise<LocalityRecord[]> {
    if (level && LEVEL_DEPTH[level] <= LEVEL_DEPTH[locality.level]) return Promise.resolve([]);
    return ctx.loaders.children.load(childrenKey(locality.code, level));
  }
}
