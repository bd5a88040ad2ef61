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
