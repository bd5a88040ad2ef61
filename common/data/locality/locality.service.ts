import { badInput, ErrorCode, userError } from '../../core/errors';
import type { RequestContext } from '../../core/context';
import { LEVEL_DEPTH, type LocalityLevel } from '../../core/locality/locality-level';
import {
  inForceOn,
  LOCALITY_CODE_SHAPE,
  type LinkConfidence,
  type LinkRelation,
  type LocalityLinkRecord,
  type LocalityRecord,
} from '../../core/locality/locality.record';
import { asOfKey, childrenKey } from './locality.loaders';
import type { LocalityRepository } from './locality.repository';
import { foldText } from '../../core/locality/normalize';

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 1000;

export interface LocalityQuery {
  level?: LocalityLevel | null;
  parentCode?: string | null;
  /** Only units in force on this date. */
  asOf?: Date | null;
  search?: string | null;
  first?: number | null;
  after?: string | null;
}

/** One reform edge seen from a unit: the unit on the other side, how it passed, and how sure the mapping is. */
export interface LocalityLinkView {
  locality: LocalityRecord;
  relation: LinkRelation;
  confidence: LinkConfidence;
}

/** The ISO date of a GraphQL Date argument (graphql-scalars parses "2025-07-01" to midnight UTC). */
export const isoDate = (date: Date) => date.toISOString().slice(0, 10);

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

  /** By key; with `asOf`, the unit in force on that date whose key or GSO code it is (a reused code names the unit of that date). */
  byCode(ctx: RequestContext, code: string, asOf?: Date | null): Promise<LocalityRecord | null> {
    if (asOf) return ctx.loaders.localityAsOf.load(asOfKey(isoDate(asOf), code.trim().toUpperCase()));
    return ctx.loaders.locality.load(code.trim());
  }

  async list(ctx: RequestContext, query: LocalityQuery & { descendants?: boolean }): Promise<LocalityPage> {
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
      {
        level: query.level ?? undefined,
        parentCode,
        descendants: query.descendants,
        asOf: query.asOf ? isoDate(query.asOf) : undefined,
        search,
        searchCode: asCode && LOCALITY_CODE_SHAPE.test(asCode) ? asCode : undefined,
      },
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

  /** Direct children (or every unit of `level` below), of the unit's own vintage; with `asOf`, only those in force then. */
  async children(ctx: RequestContext, locality: LocalityRecord, level?: LocalityLevel | null, asOf?: Date | null): Promise<LocalityRecord[]> {
    if (level && LEVEL_DEPTH[level] <= LEVEL_DEPTH[locality.level]) return [];
    const rows = await ctx.loaders.children.load(childrenKey(locality.code, level));
    if (!asOf) return rows;
    const date = isoDate(asOf);
    return rows.filter((r) => inForceOn(r, date));
  }

  /**
   * Why a unit that ended has no successors: its level does not exist the day after (the districts, abolished on
   * 1 July 2025: their communes carry the links), or no mapping names one. Null for units in force or with successors.
   */
  async endReason(ctx: RequestContext, locality: LocalityRecord): Promise<string | null> {
    if (locality.validTo == null) return null;
    const links = await ctx.loaders.links.load(locality.code);
    if (links.some((l) => l.predecessorCode === locality.code)) return null;
    const next = new Date(Date.parse(`${locality.validTo}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
    const levels = await ctx.loaders.levelsInForce.load(next);
    const level = locality.level.toLowerCase();
    if (!levels.includes(locality.level)) {
      return `The ${level} level was abolished on ${next}: no unit succeeds this ${level}; the units below it have their own successors (children { successors }).`;
    }
    return `No mapping names a successor of this ${level} after ${locality.validTo}.`;
  }

  /** Every unit below this one (of `level`, if given), paged: all communes of the country are one walk. A level not below is an empty page. */
  descendants(
    ctx: RequestContext,
    locality: LocalityRecord,
    query: Pick<LocalityQuery, 'level' | 'first' | 'after' | 'asOf'>,
  ): Promise<LocalityPage> {
    if (query.level && LEVEL_DEPTH[query.level] <= LEVEL_DEPTH[locality.level]) {
      return Promise.resolve({ nodes: [], totalCount: 0, pageInfo: { hasNextPage: false, endCursor: query.after ?? null } });
    }
    return this.list(ctx, { ...query, parentCode: locality.code, descendants: true });
  }

  /** The units this one passed into at the 2025 reform (none for units still in force). */
  successors(ctx: RequestContext, locality: LocalityRecord): Promise<LocalityLinkView[]> {
    return this.linked(
      ctx,
      locality,
      (l) => l.predecessorCode === locality.code,
      (l) => l.successorCode,
    );
  }

  /** The units that passed (wholly or in part) into this one at the 2025 reform. */
  predecessors(ctx: RequestContext, locality: LocalityRecord): Promise<LocalityLinkView[]> {
    return this.linked(
      ctx,
      locality,
      (l) => l.successorCode === locality.code,
      (l) => l.predecessorCode,
    );
  }

  private async linked(
    ctx: RequestContext,
    locality: LocalityRecord,
    mine: (l: LocalityLinkRecord) => boolean,
    other: (l: LocalityLinkRecord) => string,
  ): Promise<LocalityLinkView[]> {
    const links = (await ctx.loaders.links.load(locality.code)).filter(mine);
    const units = await ctx.loaders.locality.loadMany(links.map(other));
    return links.flatMap((l, i) => {
      const unit = units[i];
      return unit && !(unit instanceof Error) ? [{ locality: unit, relation: l.relation, confidence: l.confidence }] : [];
    });
  }
}
