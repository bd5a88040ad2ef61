import { registerEnumType } from 'type-graphql';

export enum LocalityLevel {
  COUNTRY = 'COUNTRY',
  PROVINCE = 'PROVINCE',
  DISTRICT = 'DISTRICT',
  COMMUNE = 'COMMUNE',
}

export const LEVEL_DEPTH: Record<LocalityLevel, number> = {
  [LocalityLevel.COUNTRY]: 0,
  [LocalityLevel.PROVINCE]: 1,
  [LocalityLevel.DISTRICT]: 2,
  [LocalityLevel.COMMUNE]: 3,
};

registerEnumType(LocalityLevel, {
  name: 'LocalityLevel',
  description: 'Tier of the administrative hierarchy (pre-July-2025 three-tier system under the country root).',
});

/** Official unit types of the GSO registry; `typeName` on Locality keeps the Vietnamese wording. */
export enum LocalityType {
  COUNTRY = 'COUNTRY',
  CENTRAL_CITY = 'CENTRAL_CITY',
  PROVINCE = 'PROVINCE',
  URBAN_DISTRICT = 'URBAN_DISTRICT',
  RURAL_DISTRICT = 'RURAL_DISTRICT',
  TOWN = 'TOWN',
  CITY = 'CITY',
  WARD = 'WARD',
  COMMUNE = 'COMMUNE',
  TOWNSHIP = 'TOWNSHIP',
  SPECIAL_ZONE = 'SPECIAL_ZONE',
}

export const LOCALITY_TYPE_BY_NAME: Record<string, LocalityType> = {
  'Quốc gia': LocalityType.COUNTRY,
  'Thành phố Trung ương': LocalityType.CENTRAL_CITY,
  'Tỉnh': LocalityType.PROVINCE,
  'Quận': LocalityType.URBAN_DISTRICT,
  'Huyện': LocalityType.RURAL_DISTRICT,
  'Thị xã': LocalityType.TOWN,
  'Thành phố': LocalityType.CITY,
  'Phường': LocalityType.WARD,
  'Xã': LocalityType.COMMUNE,
  'Thị trấn': LocalityType.TOWNSHIP,
  'Đặc khu': LocalityType.SPECIAL_ZONE,
};

registerEnumType(LocalityType, {
  name: 'LocalityType',
  description:
    'Kind of unit: CENTRAL_CITY (Thành phố Trung ương), PROVINCE (Tỉnh), URBAN_DISTRICT (Quận), RURAL_DISTRICT (Huyện), TOWN (Thị xã), CITY (Thành phố, provincial city), WARD (Phường), COMMUNE (Xã), TOWNSHIP (Thị trấn), SPECIAL_ZONE (Đặc khu).',
});
