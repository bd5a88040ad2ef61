import { Directive, Field, ID, Int, ObjectType } from 'type-graphql';
import { LocalityLevel, LocalityType } from './locality-level';

/**
 * The entity every subgraph shares. Core fields are @shareable: each subgraph answers them from
 * its own copy of the registry, so a partner consuming one domain still gets names and hierarchy.
 */
@Directive('@key(fields: "code")')
@ObjectType({ description: 'An administrative unit of Vietnam (GSO code), or the country root VN.' })
export class Locality {
  @Field(() => ID, { description: 'Official GSO code (2 digits province, 3 district, 5 commune), or VN.' })
  code!: string;

  @Directive('@shareable')
  @Field({ description: 'Official name with its prefix and diacritics, e.g. "Thành phố Sơn La".' })
  name!: string;

  @Directive('@shareable')
  @Field({ description: 'Accent-free name without the prefix, e.g. "Son La".' })
  nameAscii!: string;

  @Directive('@shareable')
  @Field(() => LocalityLevel)
  level!: LocalityLevel;

  @Directive('@shareable')
  @Field(() => LocalityType)
  type!: LocalityType;

  @Directive('@shareable')
  @Field({ description: 'The unit type in Vietnamese, e.g. "Thành phố", "Phường".' })
  typeName!: string;

  @Directive('@shareable')
  @Field(() => ID, { nullable: true })
  parentCode!: string | null;

  ancestorCodes!: string[];
}

@Directive('@shareable')
@ObjectType()
export class PageInfo {
  @Field()
  hasNextPage!: boolean;

  @Field(() => String, { nullable: true, description: 'Pass as `after` to get the next page.' })
  endCursor!: string | null;
}

@Directive('@shareable')
@ObjectType()
export class LocalityConnection {
  @Field(() => [Locality])
  nodes!: Locality[];

  @Field(() => PageInfo)
  pageInfo!: PageInfo;

  @Field(() => Int, { description: 'Number of localities matching the filter, across all pages.' })
  totalCount!: number;
}
