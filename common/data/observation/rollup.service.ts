import type { RequestContext } from '../../core/context';
import { badInput, ErrorCode, userError } from '../../core/errors';
import { LinkRelation, type LocalityRecord } from '../../core/locality/locality.record';
import { Qualifier, type ObservationRecord, type PeriodRecord } from '../../core/observation/observation.record';
import { RollupBasis } from '../../core/observation/rollup.type';
import { childrenKey } from '../locality/locality.loaders';
import type { IndicatorCatalogue } from './indicator-catalogue';
import type { Domain } from '../../core/domain';
import type { IndicatorRecord } from '../../core/observation/observation.record';

export interface RollupRecord {
  indicator: IndicatorRecord;
  derived: boolean;
  value: number | null;
  qualifier: Qualifier | null;
  period: PeriodRecord | null;
  reported: ObservationRecord | null;
  coverage: { basis: RollupBasis; contributing: number; of: number; complete: boolean; contributors: string[] } | null;
}

const periodKey = (p: PeriodRecord | null) => `${p?.start ?? ''}/${p?.end ?? ''}`;
const inForceOn = (u: LocalityRecord, date: string | null) =>
  date == null || ((u.validFrom == null || u.validFrom <= date) && (u.validTo == null || u.validTo >= date));

/**
 * Additive counts of a locality: the reported figure when there is one; else a sum over its direct children
 * (pre-reform units, the country) or, for a post-reform unit, over its FULL predecessors when all report one period.
 */
export class RollupService {
  constructor(
    private readonly catalogue: IndicatorCatalogue,
    private readonly domain: Domain,
  ) {}

  async rollup(ctx: RequestContext, localityCode: string, indicatorCode: string): Promise<RollupRecord | null> {
    const indicator = (await this.catalogue.byCode()).get(indicatorCode);
    if (!indicator) throw userError(ErrorCode.UNKNOWN_INDICATOR, `indicator: no indicator has code "${indicatorCode}"`, { argument: 'indicator' });
    if (indicator.domain !== this.domain) throw badInput(`indicator: "${indicatorCode}" belongs to the ${indicator.domain} domain`, 'indicator');
    if (indicator.unit !== 'COUNT') throw badInput(`indicator: ${indicatorCode} is a ${indicator.unit}, and only counts are summed`, 'indicator');
    const locality = await ctx.loaders.locality.load(localityCode);
    if (!locality) return null;
    const own = (await ctx.loaders.observations.load(localityCode)).find((o) => o.indicator.code === indicatorCode);
    if (own) return { indicator, derived: false, value: own.value, qualifier: own.qualifier, period: own.period, reported: own, coverage: null };

    const links = locality.validFrom != null ? (await ctx.loaders.links.load(locality.code)).filter((l) => l.successorCode === locality.code) : [];
    if (links.length > 0) {
      // A post-reform unit: summed only from predecessors passed whole, and only when all of them report the same period.
      const whole = links.every((l) => l.relation === LinkRelation.FULL);
      const units = links.map((l) => l.predecessorCode);
      return this.sum(ctx, indicator, RollupBasis.FULL_PREDECESSORS, units, whole, true);
    }
    const children = await ctx.loaders.children.load(childrenKey(locality.code));
    if (children.length === 0) return null;
    return this.sum(ctx, indicator, RollupBasis.CHILDREN, children, true, false);
  }

  /** Sums the latest figure of each unit for the most recent period any of them reports; units out of force then are not counted. */
  private async sum(
    ctx: RequestContext,
    indicator: IndicatorRecord,
    basis: RollupBasis,
    units: Array<LocalityRecord | string>,
    summable: boolean,
    requireAll: boolean,
  ): Promise<RollupRecord> {
    const codes = units.map((u) => (typeof u === 'string' ? u : u.code));
    const figures = await ctx.loaders.observations.loadMany(codes);
    const latest = new Map<string, ObservationRecord>();
    figures.forEach((rows, i) => {
      const found = rows instanceof Error ? undefined : rows.find((o) => o.indicator.code === indicator.code);
      if (found) latest.set(codes[i], found);
    });
    const newest = [...latest.values()].sort((a, b) =>
      (b.period?.end ?? b.period?.start ?? '').localeCompare(a.period?.end ?? a.period?.start ?? ''),
    )[0];
    const period = newest?.period ?? null;
    const date = period?.end ?? period?.start ?? null;
    // The country spans both registries: its children are those in force on the period's date.
    const expected = units.filter((u) => typeof u === 'string' || inForceOn(u, date)).map((u) => (typeof u === 'string' ? u : u.code));
    const contributors = expected.filter((c) => latest.has(c) && periodKey(latest.get(c)!.period) === periodKey(period));
    const complete = contributors.length === expected.length;
    const coverage = { basis, contributing: contributors.length, of: expected.length, complete, contributors };
    if (!summable || contributors.length === 0 || (requireAll && !complete)) {
      return { indicator, derived: true, value: null, qualifier: null, period: contributors.length ? period : null, reported: null, coverage };
    }
    const parts = contributors.map((c) => latest.get(c)!);
    const value = parts.reduce((s, o) => s + o.value, 0);
    const exact = parts.every((o) => o.qualifier === Qualifier.EXACT);
    const lowerBound = parts.every((o) => o.qualifier === Qualifier.EXACT || o.qualifier === Qualifier.AT_LEAST);
    const qualifier = complete && exact ? Qualifier.EXACT : lowerBound ? Qualifier.AT_LEAST : Qualifier.APPROXIMATE;
    return { indicator, derived: true, value, qualifier, period, reported: null, coverage };
  }
}
