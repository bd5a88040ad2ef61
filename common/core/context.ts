import type DataLoader from 'dataloader';
import type { Domain } from './domain';
import type { Logger } from 'pino';
import type { LocalityLevel } from './locality/locality-level';
import type { LocalityRecord } from './locality/locality.record';
import type { ObservationRecord } from './observation/observation.record';

/** Who is calling. Partner keys and signed gateway headers arrive with a later issue; the slot is here now. */
export interface Caller {
  kind: 'anonymous' | 'partner' | 'gateway';
  id: string;
}

export interface Loaders {
  locality: DataLoader<string, LocalityRecord | null>;
  /** Key: `${parentCode}|${level ?? ''}`. */
  children: DataLoader<string, LocalityRecord[]>;
  /** Observations of this subgraph's domain, by locality code. */
  observations: DataLoader<string, ObservationRecord[]>;
  /** Observation counts of this subgraph's domain, by locality code (no rows loaded). */
  observationCounts: DataLoader<string, number>;
}

/** Everything a resolver may know about the request, passed explicitly (no globals, no async-local magic). */
export interface RequestContext {
  requestId: string;
  domain: Domain;
  caller: Caller;
  scopes: readonly string[];
  log: Logger;
  loaders: Loaders;
}

export const childrenKey = (parentCode: string, level?: LocalityLevel | null) => `${parentCode}|${level ?? ''}`;
