import type { LocalityLevel } from '../locality/locality-level';
import type { PeriodRecord } from './observation.record';

/** How one level below a unit took part in a derived sum. */
export interface RollupLevelRow {
  level: LocalityLevel;
  /** Units of this level in force on the period's date below the unit. */
  of: number;
  /** Units of this level whose own reported figure is in the sum. */
  reported: number;
}

/** A sum over the hierarchy below one unit, for one indicator and the most recent period reported below it. */
export interface HierarchyRollupRow {
  root: string;
  indicator: string;
  period: PeriodRecord | null;
  value: number;
  /** Every summed figure is EXACT / EXACT or AT_LEAST. */
  allExact: boolean;
  allLowerBounds: boolean;
  /** The units whose reported figures are summed: the highest reporting unit on each branch. */
  reportedBy: string[];
  /** Direct children in force on the period's date, and those that have a figure in the sum (their own, or below them). */
  children: number;
  contributors: string[];
  /** Every branch down to its lowest unit is covered by a reported figure. */
  complete: boolean;
  levels: RollupLevelRow[];
}

/** Key of the rollup loader: a unit and a COUNT indicator. */
export const rollupKey = (code: string, indicator: string) => `${code}|${indicator}`;
