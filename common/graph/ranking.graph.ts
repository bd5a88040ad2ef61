import { Args, ArgsType, Ctx, Field, Float, ID, InputType, Int, ObjectType, Query, registerEnumType, Resolver } from 'type-graphql';
import { DateResolver } from 'graphql-scalars';
import type { ClassType } from 'type-graphql';
import type { RequestContext } from '../core/context';
import { LocalityLevel } from '../core/locality/locality-level';
import { PageInfo, type LocalityCore } from '../core/locality/locality.type';
import { Qualifier } from '../core/observation/observation.record';
import { Indicator, Period } from '../core/observation/observation.type';
import { DEFAULT_RANKING_PAGE, MAX_RANKING_FILTERS, MAX_RANKING_PAGE, type RankingPage } from '../data/ranking/ranking.service';
import type { Services } from '../data/services';

export enum RankingOrder {
  DESC = 'DESC',
  ASC = 'ASC',
}

registerEnumType(RankingOrder, {
  name: 'RankingOrder',
  description: 'Direction of a ranking by value; ties always follow the locality code, ascending.',
  valuesConfig: { DESC: { description: 'Highest value first (rank 1 = highest).' }, ASC: { description: 'Lowest value first (rank 1 = lowest).' } },
});

@InputType({ description: "A condition on a locality's latest figure of one indicator; a locality without that figure does not pass." })
export class IndicatorFilter {
  @Field(() => ID, { description: 'Indicator code (see Query.indicators); needs the scope of its domain.' })
  indicator!: string;

  @Field(() => Float, { nullable: true, description: 'Value greater than this.' })
  gt?: number | null;

  @Field(() => Float, { nullable: true, description: 'Value greater than or equal to this.' })
  gte?: number | null;

  @Field(() => Float, { nullable: true, description: 'Value less than this.' })
  lt?: number | null;

  @Field(() => Float, { nullable: true, description: 'Value less than or equal to this.' })
  lte?: number | null;

  @Field(() => Float, { nullable: true, description: 'Value equal to this.' })
  eq?: number | null;
}

@ArgsType()
class RankLocalitiesArgs {
  @Field(() => ID, { description: 'The indicator code to rank by (one basis; see Query.indicators).' })
  by!: string;

  @Field(() => RankingOrder, { nullable: true, defaultValue: RankingOrder.DESC, description: 'DESC (default): highest first.' })
  order?: RankingOrder | null;

  @Field(() => LocalityLevel, { description: 'Rank units of this level (levels are never mixed in one ranking).' })
  level!: LocalityLevel;

  @Field(() => ID, { nullable: true, description: 'Only units below this one (e.g. "14": the communes of Sơn La); the whole country if omitted.' })
  parentCode?: string | null;

  @Field(() => DateResolver, {
    nullable: true,
    description:
      'Only units in force on this date, as in `localities(asOf)` ("2025-03-01": the 10,047 communes before the reform). Without it, every vintage, as in `localities`: units of both registries are in scope, and those without a figure count in missingCount.',
  })
  asOf?: Date | null;

  @Field(() => [IndicatorFilter], { nullable: true, description: `Conditions, all of which must hold (at most ${MAX_RANKING_FILTERS}).` })
  where?: IndicatorFilter[] | null;

  @Field(() => Int, { nullable: true, defaultValue: DEFAULT_RANKING_PAGE, description: `Page size, 0 to ${MAX_RANKING_PAGE}.` })
  first?: number | null;

  @Field(() => String, { nullable: true, description: 'pageInfo.endCursor of the previous page (it encodes the last value and code).' })
  after?: string | null;
}

/**
 * The cross-domain ranking, bound to the serving subgraph's own `Locality` class. Not @shareable on purpose: served by
 * several subgraphs, the gateway fetches the page from each in parallel and merges the lists by position, so an import
 * committing between those fetches would pin one place's figures on another (docs/queries.md).
 */
export function rankingResolvers(Locality: ClassType<LocalityCore>) {
  @ObjectType('RankedLocality', { description: 'One place of a ranking: its rank, the latest value it was ranked by, and the locality.' })
  class RankedLocality {
    @Field(() => Int, { description: 'Position by value (1 = first); equal values share a rank (1, 2, 2, 4), listed by code.' })
    rank!: number;

    @Field(() => Float, { description: "The locality's latest value of the ranked indicator." })
    value!: number;

    @Field(() => Qualifier, { description: 'How the source worded that value; "more than 68,000" ranks as 68,000.' })
    qualifier!: Qualifier;

    @Field(() => Period, { nullable: true, description: 'When that value holds; null when the source gives no date.' })
    period!: Period | null;

    @Field(() => Locality, { description: 'The locality: every domain joins its fields here.' })
    locality!: LocalityCore;
  }

  @ObjectType('LocalityRankingConnection', { description: 'A page of a ranking of localities by one indicator.' })
  class LocalityRanking {
    @Field(() => Indicator, { description: 'The indicator ranked by.' })
    indicator!: Indicator;

    @Field(() => [RankedLocality], { description: 'The places of this page, in rank order.' })
    nodes!: RankedLocality[];

    @Field(() => PageInfo, { description: 'Whether more pages follow, and the cursor to ask for the next one.' })
    pageInfo!: PageInfo;

    @Field(() => Int, { description: 'Places ranked: of the level and parent, with a value of `by`, passing every filter.' })
    totalCount!: number;

    @Field(() => Int, { description: 'Places of the level and parent that have no value of `by`: left out of the ranking, not ranked last.' })
    missingCount!: number;
  }

  @Resolver(() => LocalityRanking)
  class RankingResolver {
    constructor(private readonly services: Services) {}

    @Query(() => LocalityRanking, {
      description:
        'Localities of one level ranked by their latest value of one indicator, filtered on indicators of any domain, in one request; keyset-paged. See docs/queries.md.',
    })
    rankLocalities(@Args() args: RankLocalitiesArgs, @Ctx() ctx: RequestContext): Promise<RankingPage> {
      return this.services.ranking.rank(ctx, args);
    }
  }

  return [RankingResolver];
}
