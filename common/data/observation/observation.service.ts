import { DOMAINS, type Domain } from '../../core/domain';
import type { RequestContext } from '../../core/context';
import { badInput, ErrorCode, userError } from '../../core/errors';
import type { IndicatorRecord, ObservationRecord } from '../../core/observation/observation.record';
import type { ObservationRepository } from './observation.repository';

export interface ObservationQuery {
  indicators?: readonly string[] | null;
  latest?: boolean | null;
}

/** The catalogue is reference data that only a seed run changes; a short cache keeps validation off the database. */
const CATALOGUE_TTL_MS = 30_000;

/** Observation use cases of one domain: profile lists, headline figures and the indicator catalogue. */
export class ObservationService {
  private catalogue?: { at: number; byCode: Map<string, IndicatorRecord>; list: IndicatorRecord[] };

  constructor(
    private readonly repository: ObservationRepository,
    readonly domain: Domain,
  ) {}

  async catalogueByCode(): Promise<Map<string, IndicatorRecord>> {
    return (await this.loadCatalogue()).byCode;
  }

  private async loadCatalogue() {
    if (!this.catalogue || Date.now() - this.catalogue.at > CATALOGUE_TTL_MS) {
      const list = await this.repository.indicators();
      this.catalogue = { at: Date.now(), list, byCode: new Map(list.map((i) => [i.code, i])) };
    }
    return this.catalogue;
  }

  async indicators(domain?: string | null): Promise<IndicatorRecord[]> {
    if (domain != null && !DOMAINS.includes(domain as Domain)) {
      throw badInput(`domain must be one of ${DOMAINS.join(', ')}, got "${domain}"`, 'domain');
    }
    const { list } = await this.loadCatalogue();
    return domain ? list.filter((i) => i.domain === domain) : list;
  }

  async indicator(code: string): Promise<IndicatorRecord | null> {
    return (await this.loadCatalogue()).byCode.get(code) ?? null;
  }

  async observations(ctx: RequestContext, localityCode: string, query: ObservationQuery = {}): Promise<ObservationRecord[]> {
    let rows = await ctx.loaders.observations.load(localityCode);
    if (query.indicators) {
      const wanted = await this.checkIndicators(query.indicators);
      rows = rows.filter((o) => wanted.has(o.indicator.code));
    }
    if (query.latest) {
      const seen = new Set<string>();
      rows = rows.filter((o) => !seen.has(o.indicator.code) && seen.add(o.indicator.code));
    }
    return rows;
  }

  /**
   * The figure behind a typed profile field: among the indicators whose catalogue `headline` is
   * this field, the first in catalogue order (the canonical definition comes first), most recent first.
   */
  async headline(ctx: RequestContext, localityCode: string, field: string): Promise<ObservationRecord | null> {
    const rows = await ctx.loaders.observations.load(localityCode);
    return rows.find((o) => o.indicator.headline === field) ?? null;
  }

  count(ctx: RequestContext, localityCode: string): Promise<number> {
    return ctx.loaders.observationCounts.load(localityCode);
  }

  async batchCounts(codes: readonly string[]): Promise<number[]> {
    const counts = await this.repository.countByLocalities(codes);
    return codes.map((c) => counts.get(c) ?? 0);
  }

  async batchByLocality(codes: readonly string[]): Promise<ObservationRecord[][]> {
    let rows = await this.repository.findByLocalities(codes, await this.catalogueByCode());
    if (rows.some((r) => !r.indicator)) {
      // An indicator seeded after the catalogue was cached: refresh once.
      this.catalogue = undefined;
      rows = await this.repository.findByLocalities(codes, await this.catalogueByCode());
    }
    const grouped = new Map<string, ObservationRecord[]>();
    for (const row of rows) {
      const list = grouped.get(row.localityCode);
      if (list) list.push(row);
      else grouped.set(row.localityCode, [row]);
    }
    return codes.map((c) => grouped.get(c) ?? []);
  }

  private async checkIndicators(codes: readonly string[]): Promise<Set<string>> {
    const { byCode } = await this.loadCatalogue();
    for (const code of codes) {
      const indicator = byCode.get(code);
      if (!indicator) {
        throw userError(ErrorCode.UNKNOWN_INDICATOR, `indicators: no indicator has code "${code}" (see Query.indicators)`, {
          argument: 'indicators',
        });
      }
      if (indicator.domain !== this.domain) {
        throw badInput(`indicators: "${code}" belongs to the ${indicator.domain} domain, not ${this.domain}`, 'indicators');
      }
    }
    return new Set(codes);
  }
}
