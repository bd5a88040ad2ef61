import { Directive, Field, ID, ObjectType } from 'type-graphql';
import { LocalityLevel, LocalityType } from './locality-level';

/**
 * The core fields of `Locality`, written once. Each subgraph declares its own `@ObjectType('Locality')`
 * extending this class (with the `@key` and its domain field), so building one subgraph never sees
 * another's fields. Core fields are @shareable: every subgraph answers them from its own registry copy.
 * This base is never reached by a resolver, so it is never emitted itself.
 */
@ObjectType('LocalityCore', { description: 'Core fields of Locality (not emitted: each subgraph emits its own Locality).' })
export abstract class LocalityCore {
  @Field(() => ID, { description: 'Official GSO code (2 digits province, 3 district, 5 commune), or VN.' })
  code!: string;

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
}

@Directive('@shareable')
@ObjectType({ description: 'Where a page sits in a paged list.' })
export class PageInfo {
  @Field({ description: 'True when another page follows this one.' })
  hasNextPage!: boolean;

  @Field(() => String, { nullable: true, description: 'Pass as `after` to get the next page.' })
  endCursor!: string | null;
}
