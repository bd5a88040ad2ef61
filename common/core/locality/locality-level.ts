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
  valuesConfig: {
    COUNTRY: { description: 'The country root, VN.' },
    PROVINCE: { description: 'Province or centrally run city (tỉnh, thành phố trung ương); 2-digit code.' },
    DISTRICT: { description: 'District, town or provincial city (quận, huyện, thị xã, thành phố); 3-digit code.' },
    COMMUNE: { description: 'Commune, ward or township (xã, phường, thị trấn); 5-digit code.' },
  },
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
  Tỉnh: LocalityType.PROVINCE,
  Quận: LocalityType.URBAN_DISTRICT,
  Huyện: LocalityType.RURAL_DISTRICT,
  'Thị xã': LocalityType.TOWN,
  'Thành phố': LocalityType.CITY,
  Phường: LocalityType.WARD,
  Xã: LocalityType.COMMUNE,
  'Thị trấn': LocalityType.TOWNSHIP,
  'Đặc khu': LocalityType.SPECIAL_ZONE,
};

registerEnumType(LocalityType, {
  name: 'LocalityType',
  description: 'Kind of unit, as the GSO registry names it (typeName keeps the Vietnamese wording).',
  valuesConfig: {
    COUNTRY: { description: 'Quốc gia: the country.' },
    CENTRAL_CITY: { description: 'Thành phố Trung ương: a centrally run city (province level).' },
    PROVINCE: { description: 'Tỉnh: a province.' },
    URBAN_DISTRICT: { description: 'Quận: an urban district.' },
    RURAL_DISTRICT: { description: 'Huyện: a rural district.' },
    TOWN: { description: 'Thị xã: a district-level town.' },
    CITY: { description: 'Thành phố: a city under a province (district level).' },
    WARD: { description: 'Phường: an urban ward.' },
    COMMUNE: { description: 'Xã: a rural commune.' },
    TOWNSHIP: { description: 'Thị trấn: a township.' },
    SPECIAL_ZONE: { description: 'Đặc khu: a special administrative zone.' },
  },
});
