import { Qualifier, type IndicatorRecord, type PeriodRecord } from '../observation/observation.record';

/** A derived metric that divides one indicator's latest figure by another's (see docs/queries.md, "Derived metrics"). */
export interface RatioMetric {
  /** e.g. finance.derived.transaction_account_holders_14plus_per_activated_eid */
  code: string;
  name: string;
  numerator: string;
  denominator: string;
}

export const RATIO_DECIMALS = 4;

/** The formula as the schema and the CSV export state it. */
export function ratioFormula(metric: RatioMetric): string {
  return `${metric.numerator} / ${metric.denominator} (latest figure of each, rounded to ${RATIO_DECIMALS} decimals)`;
}

/** What a ratio needs of each input figure: an own-domain observation, or the fields another subgraph sent through @requires. */
export interface InputFigure {
  value: number;
  qualifier: Qualifier;
  /** `date` may be absent: @requires asks another subgraph for start, end and label only. */
  period: (Omit<PeriodRecord, 'date'> & { date?: string | null }) | null;
}

const withDate = (period: InputFigure['period']): PeriodRecord | null =>
  period ? { ...period, date: period.date ?? period.end ?? period.start ?? null } : null;

export enum MetricInputRole {
  NUMERATOR = 'NUMERATOR',
  DENOMINATOR = 'DENOMINATOR',
}

export interface MetricInputRecord {
  role: MetricInputRole;
  indicator: IndicatorRecord;
  value: number | null;
  qualifier: Qualifier | null;
  period: PeriodRecord | null;
}

export interface DerivedMetricRecord {
  code: string;
  name: string;
  formula: string;
  value: number | null;
  qualifier: Qualifier | null;
  period: PeriodRecord | null;
  periodsDiffer: boolean;
  inputs: MetricInputRecord[];
  missing: string[];
  reason: string | null;
}

/** Which way a bounded figure may be off: +1 the truth is higher (AT_LEAST), -1 lower (AT_MOST), 0 exact. */
const DIRECTION: Record<Qualifier, number> = { EXACT: 0, AT_LEAST: 1, AT_MOST: -1, APPROXIMATE: 0 };

/** a / b keeps a bound only when both inputs push the same way ("more than" over "nearly" is "more than"); else it is APPROXIMATE. */
export function ratioQualifier(numerator: Qualifier, denominator: Qualifier): Qualifier {
  if (numerator === Qualifier.APPROXIMATE || denominator === Qualifier.APPROXIMATE) return Qualifier.APPROXIMATE;
  const pushes = new Set([DIRECTION[numerator], -DIRECTION[denominator]].filter((d) => d !== 0));
  if (pushes.size === 0) return Qualifier.EXACT;
  if (pushes.size > 1) return Qualifier.APPROXIMATE;
  return pushes.has(1) ? Qualifier.AT_LEAST : Qualifier.AT_MOST;
}

const samePeriod = (a: InputFigure['period'], b: InputFigure['period']) =>
  (a?.start ?? null) === (b?.start ?? null) && (a?.end ?? null) === (b?.end ?? null);

/**
 * Divides `numerator` by `denominator`. A missing input or a zero denominator gives value null and a reason,
 * never an error; inputs whose periods differ still divide, with `periodsDiffer` set and no common period.
 */
export function deriveRatio(
  metric: RatioMetric,
  indicators: { numerator: IndicatorRecord; denominator: IndicatorRecord },
  numerator: InputFigure | null | undefined,
  denominator: InputFigure | null | undefined,
): DerivedMetricRecord {
  const input = (role: MetricInputRole, indicator: IndicatorRecord, figure: InputFigure | null | undefined): MetricInputRecord => ({
    role,
    indicator,
    value: figure?.value ?? null,
    qualifier: figure?.qualifier ?? null,
    period: withDate(figure?.period ?? null),
  });
  const inputs = [
    input(MetricInputRole.NUMERATOR, indicators.numerator, numerator),
    input(MetricInputRole.DENOMINATOR, indicators.denominator, denominator),
  ];
  const missing = inputs.filter((i) => i.value === null).map((i) => i.indicator.code);
  const base = { code: metric.code, name: metric.name, formula: ratioFormula(metric), inputs, missing };
  if (!numerator || !denominator) {
    const reason = `no figure for ${missing.join(' and ')} in this locality`;
    return { ...base, value: null, qualifier: null, period: null, periodsDiffer: false, reason };
  }
  const periodsDiffer = !samePeriod(numerator.period, denominator.period);
  if (denominator.value === 0) {
    return { ...base, value: null, qualifier: null, period: null, periodsDiffer, reason: `${metric.denominator} is 0 in this locality` };
  }
  const scale = 10 ** RATIO_DECIMALS;
  return {
    ...base,
    value: Math.round((numerator.value / denominator.value) * scale) / scale,
    qualifier: ratioQualifier(numerator.qualifier, denominator.qualifier),
    period: periodsDiffer ? null : withDate(numerator.period),
    periodsDiffer,
    reason: null,
  };
}
