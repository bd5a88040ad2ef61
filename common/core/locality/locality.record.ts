import type { LocalityLevel, LocalityType } from './locality-level';

/** A locality as the services pass it around: the row of `locality`, camel-cased. */
export interface LocalityRecord {
  code: string;
  /** The official GSO code; equals `code` for pre-reform units, `code` without its "2025:" vintage prefix after. */
  gsoCode: string;
  name: string;
  nameAscii: string;
  level: LocalityLevel;
  type: LocalityType;
  typeName: string;
  parentCode: string | null;
  ancestorCodes: string[];
  /** First day in force (ISO date); null when in force before the registry's list date. */
  validFrom: string | null;
  /** Last day in force (ISO date); null while still in force. */
  validTo: string | null;
}

export const COUNTRY_CODE = 'VN';

/**
 * What a locality code can look like (GSO digits or VN; units of a later list with their vintage, "2025:" or, for a second
 * list in one year, "20251201:"): anything else never reaches SQL.
 */
export const LOCALITY_CODE_SHAPE = /^(\d{4}(\d{4})?:)?[0-9A-Z]{1,10}$/;

/** How an old unit passed into a new one: wholly, or a part of it. */
export enum LinkRelation {
  FULL = 'FULL',
  PARTIAL = 'PARTIAL',
}

/** How sure the mapping is: LOW where the 2025 resolutions do not name both units in one clause. */
export enum LinkConfidence {
  HIGH = 'HIGH',
  LOW = 'LOW',
}

/** One edge of the reform: `predecessorCode` passed (wholly or in part) into `successorCode`. */
export interface LocalityLinkRecord {
  predecessorCode: string;
  successorCode: string;
  relation: LinkRelation;
  confidence: LinkConfidence;
}

/** Whether a unit is in force on an ISO date (a null bound is open). */
export const inForceOn = (u: Pick<LocalityRecord, 'validFrom' | 'validTo'>, date: string) =>
  (u.validFrom == null || u.validFrom <= date) && (u.validTo == null || u.validTo >= date);
