import type { LocalityLevel, LocalityType } from './locality-level';

/** A locality as the services pass it around: the row of `locality`, camel-cased. */
export interface LocalityRecord {
  code: string;
  name: string;
  nameAscii: string;
  level: LocalityLevel;
  type: LocalityType;
  typeName: string;
  parentCode: string | null;
  ancestorCodes: string[];
}

export const COUNTRY_CODE = 'VN';

/** What a locality code can look like (GSO digits, or VN): anything else cannot exist and never reaches SQL. */
export const LOCALITY_CODE_SHAPE = /^[0-9A-Z]{1,10}$/;
