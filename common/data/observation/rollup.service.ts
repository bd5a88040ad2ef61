import type { RequestContext } from '../../core/context';
import { badInput, ErrorCode, userError } from '../../core/errors';
import { LinkRelation, type LocalityRecord } from '../../core/locality/locality.record';
import { Qualifier, type ObservationRecord, type PeriodRecord } from '../../core/observation/observation.record';
import { RollupBasis } from '../../core/observation/rollup.type';
import { rollupKey, type HierarchyRollupRow, type RollupLevelRow } from '../../core/observation/rollup.record';
import type { IndicatorCatalogue } from './indicator-catalogue';
import type { Domain } from '../../core/domain';
import type { IndicatorRecord } from '../../core/observation/observation.record';

export interface RollupCoverageRecord {
  basis: RollupBasis;
  contributing: number;
  of: number;
  complete: boolean;
  contributors: string[];
  reportedBy: string[];
  levels: RollupLevelRow[];
}

export interface RollupRecord {
  indicator: IndicatorRecord;
  derived: boolean;
  value: number | null;
  qualifier: Qualifier | null;
  period: PeriodRecord | null;
  reported: ObservationRecord | null;
  coverage: RollupCoverageRecord | null;
}

const periodKey = (p: PeriodRecord | null) => `${p?.start ?? ''}/${p?.end ?? ''}`;
/** EXACT only for a complete sum of exact figures; a sum of lower bounds or with gaps is a lower bound; anything else approximate. */
const sumQualifier = (complete: boolean, allExact: boolean, allLowerBounds: boolean) =>
  complete && allExact ? Qualifier.EXACT : allLowerBounds ? Qualifier.AT_LEAST : Qualifier.APPROXIMATE;

/**
 * Additive counts of a locality: the reported figure when there is one; else a sum over its whole subtree (every
 * level, one statement: a reporting unit stands for the units below it) or, for a post-reform unit whose subtree
 * reports nothing, over its FULL predecessors when all of them report one period. Never a mix of the two bases.
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
    // A figure for part of the unit is never the unit's value.
    const own = (await ctx.loaders.observations.load(localityCode)).find((o) => o.indicator.code === indicatorCode && o.coversWholeUnit);
    if (own) return { indicator, derived: false, value: own.value, qualifier: own.qualifier, period: own.period, reported: own, coverage: null };

    const [below, links] = await Promise.all([
      ctx.loaders.rollups.load(rollupKey(locality.code, indicatorCode)),
      locality.validFrom != null ? ctx.loaders.links.load(locality.code) : Promise.resolve([]),
    ]);
    const predecessors = links.filter((l) => l.successorCode === locality.code);
    if (below || predecessors.length === 0) return below ? fromSubtree(indicator, below) : null;
    // A post-reform unit: summed only from predecessors passed whole, and only when all of them report the same period.
    return this.fromPredecessors(
      ctx,
      indicator,
      predecessors.map((l) => l.predecessorCode),
      predecessors.every((l) => l.relation === LinkRelation.FULL),
    );
  }

  private async fromPredecessors(ctx: RequestContext, indicator: IndicatorRecord, codes: string[], whole: boolean): Promise<RollupRecord> {
    const [figures, units] = await Promise.all([ctx.loaders.observations.loadMany(codes), ctx.loaders.locality.loadMany(codes)]);
    const latest = new Map<string, ObservationRecord>();
    figures.forEach((rows, i) => {
      const found = rows instanceof Error ? undefined : rows.find((o) => o.indicator.code === indicator.code && o.coversWholeUnit);
      if (found) latest.set(codes[i], found);
    });
    const newest = [...latest.values()].sort((a, b) => (b.period?.date ?? '').localeCompare(a.period?.date ?? ''))[0];
    const period = newest?.period ?? null;
    const contributors = codes.filter((c) => latest.has(c) && periodKey(latest.get(c)!.period) === periodKey(period));
    const complete = contributors.length === codes.length;
    const level = units.find((u): u is LocalityRecord => u != null && !(u instanceof Error))?.level;
    const coverage: RollupCoverageRecord = {
      basis: RollupBasis.FULL_PREDECESSORS,
      contributing: contributors.length,
      of: codes.length,
      complete,
      contributors,
      reportedBy: contributors,
      levels: level ? [{ level, of: codes.length, reported: contributors.length }] : [],
    };
    if (!whole || !complete) {
      return { indicator, derived: true, value: null, qualifier: null, period: contributors.length ? period : null, reported: null, coverage };
    }
    const parts = contributors.map((c) => latest.get(c)!);
    const value = parts.reduce((s, o) => s + o.value, 0);
    const qualifier = sumQualifier(
      true,
      parts.every((o) => o.qualifier === Qualifier.EXACT),
      parts.every((o) => o.qualifier === Qualifier.EXACT || o.qualifier === Qualifier.AT_LEAST),
    );
    return { indicator, derived: true, value, qualifier, period, reported: null, coverage };
  }
}

function fromSubtree(indicator: IndicatorRecord, row: HierarchyRollupRow): RollupRecord {
  return {
    indicator,
    derived: true,
    value: row.value,
    qualifier: sumQualifier(row.complete, row.allExact, row.allLowerBounds),
    period: row.period,
    reported: null,
    coverage: {
      basis: RollupBasis.CHILDREN,
      contributing: row.contributors.length,
      of: row.children,
      complete: row.complete,
      contributors: row.contributors,
      reportedBy: row.reportedBy,
      levels: row.levels,
    },
  };
}
