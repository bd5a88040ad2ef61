import { Args, ArgsType, Arg, Ctx, Directive, Field, FieldResolver, ID, Int, Query, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../core/context';
import type { Services } from '../data/services';
import { LocalityLevel } from '../core/locality/locality-level';
import type { LocalityRecord } from '../core/locality/locality.record';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../data/locality/locality.service';
import { Locality, LocalityConnection } from '../core/locality/locality.type';

@ArgsType()
class LocalitiesArgs {
  @Field(() => LocalityLevel, { nullable: true, description: 'Only units of this level.' })
  level?: LocalityLevel | null;

  @Field(() => ID, {
    nullable: true,
    description: 'Without `level`: the direct children of this unit. With `level`: all units of that level below it.',
  })
  parentCode?: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'Accent- and case-insensitive name search ("son la" finds Sơn La); an exact code also matches.',
  })
  search?: string | null;

  @Field(() => Int, { nullable: true, defaultValue: DEFAULT_PAGE_SIZE, description: `Page size, 0 to ${MAX_PAGE_SIZE}.` })
  first?: number | null;

  @Field(() => String, { nullable: true, description: 'pageInfo.endCursor of the previous page.' })
  after?: string | null;
}

/** Registry queries and hierarchy fields, identical in every subgraph. */
@Resolver(() => Locality)
export class LocalityResolver {
  constructor(private readonly services: Services) {}

  @Directive('@shareable')
  @Query(() => Locality, { nullable: true, description: 'One locality by GSO code (VN for the country); null if unknown.' })
  locality(@Arg('code', () => ID) code: string, @Ctx() ctx: RequestContext): Promise<LocalityRecord | null> {
    return this.services.localities.byCode(ctx, code);
  }

  @Directive('@shareable')
  @Query(() => LocalityConnection, { description: 'Localities, filtered, searched and paged; ordered by best match, then level, then code.' })
  localities(@Args() args: LocalitiesArgs, @Ctx() ctx: RequestContext) {
    return this.services.localities.list(ctx, args);
  }

  @Directive('@shareable')
  @FieldResolver(() => Locality, { nullable: true })
  parent(@Root() locality: LocalityRecord, @Ctx() ctx: RequestContext) {
    return this.services.localities.parent(ctx, locality);
  }

  @Directive('@shareable')
  @FieldResolver(() => [Locality], { description: 'From the country down to the direct parent.' })
  ancestors(@Root() locality: LocalityRecord, @Ctx() ctx: RequestContext) {
    return this.services.localities.ancestors(ctx, locality);
  }

  @Directive('@shareable')
  @FieldResolver(() => [Locality], {
    description: 'Without `level`: direct children. With `level`: every unit of that level below this one.',
  })
  children(
    @Root() locality: LocalityRecord,
    @Ctx() ctx: RequestContext,
    @Arg('level', () => LocalityLevel, { nullable: true }) level?: LocalityLevel | null,
  ) {
    return this.services.localities.children(ctx, locality, level);
  }
}
