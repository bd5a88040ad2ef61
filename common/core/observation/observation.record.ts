import type { Domain } from '../domain';

export enum Qualifier {
  EXACT = 'EXACT',
  APPROXIMATE = 'APPROXIMATE',
  AT_LEAST = 'AT_LEAST',
  AT_MOST = 'AT_MOST',
}
export const QUALIFIERS = Object.values(Qualifier);

export enum Unit {
  COUNT = 'COUNT',
  PERCENT = 'PERCENT',
  VND = 'VND',
}
export const UNITS = Object.values(Unit);

export interface IndicatorRecord {
  code: string;
  domain: Domain;
  name: string;
  unit: `${Unit}`;
  denominator: string | null;
  description: string | null;
  headline: string | null;
  position: number;
}

export interface SourceRecord {
  title: string;
  titleSupplied: boolean;
  publisher: string | null;
  url: string | null;
  publishedAt: string | null;
  document: string | null;
}

/** A figure's period from its stored columns: null when the source gives no date and no wording. */
export function periodOf(start: string | null, end: string | null, label: string | null): PeriodRecord | null {
  return start || end || label ? { start, end, date: end ?? start, label } : null;
}

export interface PeriodRecord {
  start: string | null;
  end: string | null;
  /** end, else start. */
  date: string | null;
  label: string | null;
}

/** An observation shaped as the GraphQL type serves it. */
export interface ObservationRecord {
  id: string;
  localityCode: string;
  indicator: IndicatorRecord;
  value: number;
  numerator: number | null;
  denominator: number | null;
  qualifier: Qualifier;
  numeratorQualifier: Qualifier | null;
  denominatorQualifier: Qualifier | null;
  partOfUnit: string | null;
  coversWholeUnit: boolean;
  period: PeriodRecord | null;
  source: SourceRecord;
  notes: string | null;
  quote: string | null;
}
