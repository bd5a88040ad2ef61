import type { RequestContext } from '../../core/context';
import { DOMAINS, type Domain } from '../../core/domain';
import { badInput, ErrorCode, userError } from '../../core/errors';
import type { IndicatorRecord, ObservationRecord } from '../../core/observation/observation.record';
import type { IndicatorCatalogue } from './indicator-catalogue';

export interface ObservationQuery {
  indicators?: readonly string[] | null;
  latest?: boolean | null;
}

/** Observation use cases of one domain: profile lists, headline figures and the indicator catalogue. */
export class ObservationService {
  constructor(
    private readonly catalogue: IndicatorCatalogue,
    readonly domain: Domain,
  ) {}

  async indicators(domain?: Domain | null): Promise<IndicatorRecord[]> {
    if (domain != null && !DOMAINS.includes(domain)) {
      throw badInput(`domain must be one of ${DOMAINS.join(', ')}, got "${String(domain)}"`, 'domain');
    }
    const list = await this.catalogue.list();
    return domain ? list.filter((i) => i.domain === domain) : list;
  }

  async indicator(code: string): Promise<IndicatorRecord | null> {
    return (await this.catalogue.byCode()).get(code) ?? null;
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
   * The figure behind a typed profile field: the most recent observation of the first of `indicators`
   * (the field's table lists them in order of preference) that the locality has.
   */
  async headline(ctx: RequestContext, localityCode: string, indicators: readonly string[]): Promise<ObservationRecord | null> {
    const rows = await ctx.loaders.observations.load(localityCode);
    for (const code of indicators) {
      const found = rows.find((o) => o.indicator.code === code);
      if (found) return found;
    }
    return null;
  }

  count(ctx: RequestContext, localityCode: string): Promise<number> {
    return ctx.loaders.observationCounts.load(localityCode);
  }

  private async checkIndicators(codes: readonly string[]): Promise<Set<string>> {
    const byCode = await this.catalogue.byCode();
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
