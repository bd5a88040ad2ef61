import { Arg, Args, ArgsType, Ctx, Directive, Field, FieldResolver, ID, Int, ObjectType, Query, Resolver, Root } from 'type-graphql';
import type { ClassType } from 'type-graphql';
import { DateResolver } from 'graphql-scalars';
import type { RequestContext } from '../core/context';
import { LocalityLevel } from '../core/locality/locality-level';
import { LinkConfidence, LinkRelation, type LocalityRecord } from '../core/locality/locality.record';
import { PageInfo, type LocalityCore } from '../core/locality/locality.type';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../data/locality/locality.service';
import type { Services } from '../data/services';

/** Paging arguments of every paged list. */
@ArgsType()
class PageArgs {
  @Field(() => Int, { nullable: true, defaultValue: DEFAULT_PAGE_SIZE, description: `Page size, 0 to ${MAX_PAGE_SIZE}.` })
  first?: number | null;

  @Field(() => String, { nullable: true, description: 'pageInfo.endCursor of the previous page.' })
  after?: string | null;
}

@ArgsType()
class LocalitiesArgs extends PageArgs {
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

  @Field(() => DateResolver, {
    nullable: true,
    description: 'Only units in force on this date ("2025-03-01": before the reform, "2025-07-01": after). Without it, every vintage.',
  })
  asOf?: Date | null;
}

@ArgsType()
class DescendantsArgs extends PageArgs {
  @Field(() => LocalityLevel, { nullable: true, description: 'Only units of this level (none when it is not below this unit).' })
  level?: LocalityLevel | null;

  @Field(() => DateResolver, {
    nullable: true,
    description: 'Only units in force on this date (useful below the country, which spans both vintages).',
  })
  asOf?: Date | null;
}

/**
 * The registry part of a subgraph, bound to that subgraph's own `Locality` class: the `locality` and
 * `localities` queries and the hierarchy fields, identical in every subgraph (all @shareable).
 */
export function localityResolvers(Locality: ClassType<LocalityCore>) {
  @Directive('@shareable')
  @ObjectType('LocalityConnection', { description: 'A page of localities.' })
  class LocalityConnection {
    @Field(() => [Locality], { description: 'The localities of this page.' })
    nodes!: LocalityCore[];

    @Field(() => PageInfo, { description: 'Whether more pages follow, and the cursor to ask for the next one.' })
    pageInfo!: PageInfo;

    @Field(() => Int, { description: 'Number of localities matching the filter, across all pages.' })
    totalCount!: number;
  }

  @Directive('@shareable')
  @ObjectType('LocalityLink', { description: 'One edge of the 2025 reform, seen from one of its two units.' })
  class LocalityLink {
    @Field(() => Locality, { description: 'The unit on the other side of the reform.' })
    locality!: LocalityCore;

    @Field(() => LinkRelation, { description: 'FULL: the whole old unit passed into the new one; PARTIAL: a part of it.' })
    relation!: LinkRelation;

    @Field(() => LinkConfidence, { description: 'HIGH, or LOW where the resolutions do not name both units in one clause.' })
    confidence!: LinkConfidence;
  }

  @Resolver(() => Locality)
  class LocalityResolver {
    constructor(private readonly services: Services) {}

    @Directive('@shareable')
    @Query(() => Locality, {
      nullable: true,
      description:
        'One locality by key (VN for the country); with `asOf`, the unit in force on that date with this key or GSO code. Null if unknown.',
    })
    locality(
      @Arg('code', () => ID, { description: 'Key, e.g. "14" (Sơn La before the reform), "116", "2025:25" (Phú Thọ from 1 July 2025); or VN.' })
      code: string,
      @Ctx() ctx: RequestContext,
      @Arg('asOf', () => DateResolver, {
        nullable: true,
        description: 'Read `code` as the GSO code in force on this date: "25" on 2025-07-01 is 2025:25.',
      })
      asOf?: Date | null,
    ): Promise<LocalityRecord | null> {
      return this.services.localities.byCode(ctx, code, asOf);
    }

    @Directive('@shareable')
    @Query(() => LocalityConnection, { description: 'Localities, filtered, searched and paged; ordered by best match, then level, then code.' })
    localities(@Args() args: LocalitiesArgs, @Ctx() ctx: RequestContext) {
      return this.services.localities.list(ctx, args);
    }

    @Directive('@shareable')
    @FieldResolver(() => Locality, { nullable: true, description: 'The unit one level up; null for the country.' })
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
      @Arg('level', () => LocalityLevel, { nullable: true, description: 'Every unit of this level below, instead of the direct children.' })
      level?: LocalityLevel | null,
      @Arg('asOf', () => DateResolver, {
        nullable: true,
        description: 'Only units in force on this date (the country spans every vintage: its children without it are both lists of provinces).',
      })
      asOf?: Date | null,
    ) {
      return this.services.localities.children(ctx, locality, level, asOf);
    }

    @Directive('@shareable')
    @FieldResolver(() => LocalityConnection, {
      description: 'Every unit below this one (of `level`, if given), paged: for long lists such as all communes.',
    })
    descendants(@Root() locality: LocalityRecord, @Args() args: DescendantsArgs, @Ctx() ctx: RequestContext) {
      return this.services.localities.descendants(ctx, locality, args);
    }

    @Directive('@shareable')
    @FieldResolver(() => [LocalityLink], { description: 'What this unit became at the 2025 reform; empty for units still in force.' })
    successors(@Root() locality: LocalityRecord, @Ctx() ctx: RequestContext) {
      return this.services.localities.successors(ctx, locality);
    }

    @Directive('@shareable')
    @FieldResolver(() => String, {
      nullable: true,
      description:
        'Why a unit no longer in force has no successors, when it has none: its level was abolished (the districts on 1 July 2025), or no mapping names one. Null otherwise.',
    })
    endReason(@Root() locality: LocalityRecord, @Ctx() ctx: RequestContext) {
      return this.services.localities.endReason(ctx, locality);
    }

    @Directive('@shareable')
    @FieldResolver(() => [LocalityLink], { description: 'The units that passed into this one at the 2025 reform; empty for units before it.' })
    predecessors(@Root() locality: LocalityRecord, @Ctx() ctx: RequestContext) {
      return this.services.localities.predecessors(ctx, locality);
    }
  }

  return [LocalityResolver];
}

/** Federation: the gateway hands a subgraph `{ __typename: "Locality", code }`; the row comes from its registry copy (batched). */
export function resolveLocalityReference(reference: { code: string }, ctx: RequestContext, services: Services): Promise<LocalityRecord | null> {
  return services.localities.byCode(ctx, reference.code);
}
