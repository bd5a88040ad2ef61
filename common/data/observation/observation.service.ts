import type { RequestContext } from '../../core/context';
import { DOMAINS, type Domain } from '../../core/domain';
import { badInput, ErrorCode, userError } from '../../core/errors';
import type { IndicatorRecord, ObservationRecord } from '../../core/observation/observation.record';
import type { IndicatorCatalogue } from './indicator-catalogue';

export interface ObservationQuery {
  indicators?: readonly string[] | null;
  latest?: boolean | null;
  /** Only figures whose period reaches into [from, to] (ISO dates); undated figures are left out when either is set. */
  from?: string | null;
  to?: string | null;
  /** Period order: newest first (the default) or oldest first. */
  oldestFirst?: boolean | null;
}

/** The date a figure is sorted by: the end of its period, else its start (ISO dates sort as text). */
export const periodDate = (o: ObservationRecord): string | null => o.period?.date ?? null;

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
    if (query.from != null || query.to != null) rows = rows.filter((o) => overlaps(o, query.from, query.to));
    if (query.latest) {
      // A figure for part of the unit is its own series: it never hides (nor stands in for) the unit's own figure.
      const seen = new Set<string>();
      const key = (o: ObservationRecord) => `${o.indicator.code}|${o.partOfUnit ?? ''}`;
      rows = rows.filter((o) => !seen.has(key(o)) && seen.add(key(o)));
    }
    if (query.oldestFirst) rows = oldestFirst(rows);
    return rows;
  }

  /**
   * The figure behind a typed profile field: the most recent observation of its one canonical indicator that
   * covers the whole locality. Never another basis (other indicators) nor a figure for part of the unit.
   */
  async headline(ctx: RequestContext, localityCode: string, indicator: string): Promise<ObservationRecord | null> {
    const rows = await ctx.loaders.observations.load(localityCode);
    return rows.find((o) => o.indicator.code === indicator && o.coversWholeUnit) ?? null;
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

function overlaps(o: ObservationRecord, from?: string | null, to?: string | null): boolean {
  const start = o.period?.start ?? o.period?.end;
  const end = o.period?.end ?? o.period?.start;
  if (!start || !end) return false;
  return (from == null || end >= from) && (to == null || start <= to);
}

function oldestFirst(rows: ObservationRecord[]): ObservationRecord[] {
  const byIndicator = new Map<string, ObservationRecord[]>();
  for (const row of rows) {
    const list = byIndicator.get(row.indicator.code);
    if (list) list.push(row);
    else byIndicator.set(row.indicator.code, [row]);
  }
  const ascending = (a: ObservationRecord, b: ObservationRecord) => {
    const [x, y] = [periodDate(a), periodDate(b)];
    return x === y ? 0 : x == null ? 1 : y == null ? -1 : x < y ? -1 : 1; // undated last, as newest first has them
  };
  return [...byIndicator.values()].flatMap((list) => list.sort(ascending));
}
