import type DataLoader from 'dataloader';
import type { LocalityLevel } from './locality/locality-level';
import type { LocalityLinkRecord, LocalityRecord } from './locality/locality.record';
import type { ObservationRecord } from './observation/observation.record';
import type { HierarchyRollupRow } from './observation/rollup.record';

/** Who is calling: the partner key's name, forwarded by the gateway in its signed caller header. */
export interface Caller {
  kind: 'anonymous' | 'partner' | 'gateway';
  name: string;
}

/** Per-request batching of the data layer's reads; built fresh for every request, never shared between callers. */
export interface Loaders {
  locality: DataLoader<string, LocalityRecord | null>;
  /** Key: `${parentCode}|${level ?? ''}` (see childrenKey). */
  children: DataLoader<string, LocalityRecord[]>;
  /** Key: `${asOf}|${code}` (see asOfKey): the unit in force on that date with that key or GSO code. */
  localityAsOf: DataLoader<string, LocalityRecord | null>;
  /** The levels with units in force on an ISO date. */
  levelsInForce: DataLoader<string, LocalityLevel[]>;
  /** Reform links touching a unit, by locality code. */
  links: DataLoader<string, LocalityLinkRecord[]>;
  /** Observations of this subgraph's domain, by locality code. */
  observations: DataLoader<string, ObservationRecord[]>;
  /** Observation counts of this subgraph's domain, by locality code (no rows loaded). */
  observationCounts: DataLoader<string, number>;
  /** Key: `${code}|${indicator}` (see rollupKey): the sum of a count over the unit's subtree, null when nothing below reports it. */
  rollups: DataLoader<string, HierarchyRollupRow | null>;
}

/** What a resolver may know about the request, passed explicitly: no database handle, so no SQL in a resolver. */
export interface RequestContext {
  requestId: string;
  caller: Caller;
  /** Scopes of the caller (see core/scopes.ts): the domains it may read, and admin. */
  scopes: readonly string[];
  loaders: Loaders;
}
