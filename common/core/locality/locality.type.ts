import { DateResolver } from 'graphql-scalars';
import { Directive, Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { LocalityLevel, LocalityType } from './locality-level';
import { LinkConfidence, LinkRelation } from './locality.record';

registerEnumType(LinkRelation, {
  name: 'LinkRelation',
  description: 'How a unit before the 2025 reform passed into a unit after it.',
  valuesConfig: {
    FULL: { description: 'The whole unit passed into the other one.' },
    PARTIAL: { description: 'Only a part of the unit passed into the other one (it is split among several).' },
  },
});

registerEnumType(LinkConfidence, {
  name: 'LinkConfidence',
  description: 'How sure the reform mapping is.',
  valuesConfig: {
    HIGH: { description: 'Both units are named in the same clause of the 2025 resolutions (or the province resolution).' },
    LOW: { description: 'The names could not both be found in one clause (mostly spelling variants): treat with care.' },
  },
});

/**
 * The core fields of `Locality`, written once. Each subgraph declares its own `@ObjectType('Locality')`
 * extending this class (with the `@key` and its domain field), so building one subgraph never sees
 * another's fields. Core fields are @shareable: every subgraph answers them from its own registry copy.
 * This base is never reached by a resolver, so it is never emitted itself.
 */
@ObjectType('LocalityCore', { description: 'Core fields of Locality (not emitted: each subgraph emits its own Locality).' })
export abstract class LocalityCore {
  @Field(() => ID, {
    description: 'The key: the GSO code for units before the 2025 reform (and VN); "2025:" + the GSO code for units from 1 July 2025.',
  })
  code!: string;

  @Directive('@shareable')
  @Field({ description: 'The official GSO code as printed (2 digits province, 3 district, 5 commune), reused across the reform.' })
  gsoCode!: string;

  @Directive('@shareable')
  @Field({ description: 'Official name with its prefix and diacritics, e.g. "Thành phố Sơn La".' })
  name!: string;

  @Directive('@shareable')
  @Field({ description: 'Accent-free name without the prefix, e.g. "Son La".' })
  nameAscii!: string;

  @Directive('@shareable')
  @Field(() => LocalityLevel, { description: 'Tier of the hierarchy: COUNTRY, PROVINCE, DISTRICT or COMMUNE.' })
  level!: LocalityLevel;

  @Directive('@shareable')
  @Field(() => LocalityType, { description: 'Kind of unit (province, central city, urban district, ward, ...).' })
  type!: LocalityType;

  @Directive('@shareable')
  @Field({ description: 'The unit type in Vietnamese, e.g. "Thành phố", "Phường".' })
  typeName!: string;

  @Directive('@shareable')
  @Field(() => ID, { nullable: true, description: 'Code of the unit one level up; null for the country.' })
  parentCode!: string | null;

  ancestorCodes!: string[];

  @Directive('@shareable')
  @Field(() => DateResolver, { nullable: true, description: 'First day in force; null when in force before the registry list of 2025-03-01.' })
  validFrom!: string | null;

  @Directive('@shareable')
  @Field(() => DateResolver, {
    nullable: true,
    description: 'Last day in force (2025-06-30 for every unit the reform replaced); null while in force.',
  })
  validTo!: string | null;
}

@Directive('@shareable')
@ObjectType({ description: 'Where a page sits in a paged list.' })
export class PageInfo {
  @Field({ description: 'True when another page follows this one.' })
  hasNextPage!: boolean;

  @Field(() => String, { nullable: true, description: 'Pass as `after` to get the next page.' })
  endCursor!: string | null;
}
