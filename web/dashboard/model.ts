export const DOMAINS = ['identity', 'finance', 'infrastructure'] as const;
export type Domain = (typeof DOMAINS)[number];
export type Qualifier = 'EXACT' | 'APPROXIMATE' | 'AT_LEAST' | 'AT_MOST';
export type Unit = 'COUNT' | 'PERCENT' | 'VND';

export interface Indicator {
  code: string;
  name: string;
  unit: Unit;
  domain: Domain;
}

export interface Figure {
  value: number;
  qualifier: Qualifier;
  indicator: Indicator;
  period: { start: string | null; end: string | null; label: string | null } | null;
  source: { title: string; publisher: string | null; url: string | null };
}

export interface Headline {
  value: number;
  indicator: { code: string };
}

export interface Profile {
  observations: Figure[];
  [headline: string]: Headline | Figure[] | null;
}

export interface LocalityFigures {
  code: string;
  name: string;
  level: string;
  identity: Profile | null;
  finance: Profile | null;
  infrastructure: Profile | null;
}

export interface SearchHit {
  code: string;
  name: string;
  level: string;
  parent: { name: string } | null;
}

export interface ProvinceFigures {
  code: string;
  name: string;
  identity: { observations: Array<Pick<Figure, 'value' | 'qualifier' | 'indicator'>> } | null;
  finance: { observations: Array<Pick<Figure, 'value' | 'qualifier' | 'indicator'>> } | null;
  infrastructure: { observations: Array<Pick<Figure, 'value' | 'qualifier' | 'indicator'>> } | null;
}
