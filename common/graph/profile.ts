import { Arg, Authorized, Ctx, Field, FieldResolver, ID, Int, ObjectType, Resolver, Root, type ClassType } from 'type-graphql';
import type { RequestContext } from '../core/context';
import type { Domain } from '../core/domain';
import type { LocalityRecord } from '../core/locality/locality.record';
import type { LocalityCore } from '../core/locality/locality.type';
import { Observation, PeriodOrder } from '../core/observation/observation.type';
import { Rollup } from '../core/observation/rollup.type';
import { DateResolver } from 'graphql-scalars';
import type { Services } from '../data/services';

/** What a domain profile resolves from: the locality it describes. */
export interface ProfileRecord {
  localityCode: string;
}

/** One typed headline field of a profile: the one canonical indicator it serves, and what it means. */
export interface HeadlineField<Code extends string = string> {
  indicator: Code;
  description: string;
}

/** A domain's headline fields by GraphQL field name. */
export type HeadlineTable<Code extends string = string> = Readonly<Record<string, HeadlineField<Code>>>;

/** What a subgraph says about its profile: the type's name and description, and its headline table. */
export interface ProfileDefinition {
  name: string;
  description: string;
  headlines: HeadlineTable;
}

/**
 * The domain profile of one subgraph: its type (`FinanceProfile`, ...), the `Locality.<domain>` field that
 * the gateway joins on, and the profile fields: `observations`, `observationCount` and one field per headline.
 */
export function profileResolvers(domain: Domain, Locality: ClassType<LocalityCore>, definition: ProfileDefinition) {
  @ObjectType(definition.name, { description: definition.description })
  class Profile implements ProfileRecord {
    @Field(() => ID, { description: 'The locality this profile describes.' })
    localityCode!: string;
  }

  @Resolver(() => Locality)
  class LocalityProfileResolver {
    // Checked in the subgraph too, not only at the gateway: a request that reaches it without the scope gets FORBIDDEN here.
    @Authorized(domain)
    @FieldResolver(() => Profile, {
      name: domain,
      nullable: true,
      description: `Figures of the ${domain} domain for this locality (served by the ${domain} subgraph).`,
    })
    profile(@Root() locality: LocalityRecord): ProfileRecord {
      return { localityCode: locality.code };
    }
  }

  @Resolver(() => Profile)
  class ProfileResolver {
    constructor(readonly services: Services) {}

    @FieldResolver(() => [Observation], {
      description: 'Observations of this domain. `indicators` narrows to some codes; `latest: true` keeps only the most recent figure per indicator.',
    })
    observations(
      @Root() profile: ProfileRecord,
      @Ctx() ctx: RequestContext,
      @Arg('latest', () => Boolean, { nullable: true, description: 'Only the most recent figure of each indicator.' })
      latest?: boolean | null,
      @Arg('indicators', () => [ID], { nullable: true, description: 'Only these indicator codes (see Query.indicators).' })
      indicators?: string[] | null,
      @Arg('from', () => DateResolver, { nullable: true, description: 'Only figures whose period reaches this date or later (ISO date).' })
      from?: Date | null,
      @Arg('to', () => DateResolver, { nullable: true, description: 'Only figures whose period begins on or before this date (ISO date).' })
      to?: Date | null,
      @Arg('order', () => PeriodOrder, {
        nullable: true,
        defaultValue: PeriodOrder.NEWEST_FIRST,
        description: "Order of each indicator's history (indicators keep catalogue order).",
      })
      order?: PeriodOrder | null,
    ) {
      const query = { indicators, latest, from: isoDate(from), to: isoDate(to), oldestFirst: order === PeriodOrder.OLDEST_FIRST };
      return this.services.observations.observations(ctx, profile.localityCode, query);
    }

    @FieldResolver(() => Rollup, {
      nullable: true,
      description:
        'A count (COUNT indicator) for this locality: reported (derived: false), or summed from its children or its FULL predecessors (derived: true, with coverage). Rates are refused.',
    })
    rollup(
      @Root() profile: ProfileRecord,
      @Ctx() ctx: RequestContext,
      @Arg('indicator', () => ID, { description: 'A COUNT indicator of this domain (see Query.indicators).' }) indicator: string,
    ) {
      return this.services.rollups.rollup(ctx, profile.localityCode, indicator);
    }

    @FieldResolver(() => Int, { description: 'How many observations of this domain the locality has.' })
    observationCount(@Root() profile: ProfileRecord, @Ctx() ctx: RequestContext) {
      return this.services.observations.count(ctx, profile.localityCode);
    }
  }

  for (const [field, headline] of Object.entries(definition.headlines)) addHeadlineField(ProfileResolver, field, headline);
  return [LocalityProfileResolver, ProfileResolver];
}

/** graphql-scalars' Date scalar hands resolvers a JS Date (UTC midnight); the data layer compares ISO date text. */
function isoDate(value: Date | string | null | undefined): string | null {
  if (value == null) return null;
  return value instanceof Date ? value.toISOString().slice(0, 10) : value;
}

/** Declares one headline field with type-graphql's public decorators, applied as functions: the table is the only list. */
function addHeadlineField(resolver: ClassType<{ services: Services }>, field: string, headline: HeadlineField): void {
  const method = `headline_${field}`;
  Object.defineProperty(resolver.prototype, method, {
    value(this: { services: Services }, profile: ProfileRecord, ctx: RequestContext) {
      return this.services.observations.headline(ctx, profile.localityCode, headline.indicator);
    },
  });
  Reflect.defineMetadata('design:paramtypes', [Object, Object], resolver.prototype, method);
  Root()(resolver.prototype, method, 0);
  Ctx()(resolver.prototype, method, 1);
  const description = `${headline.description} Always indicator ${headline.indicator}, latest figure for the whole locality; other bases are in observations(indicators: ...).`;
  FieldResolver(() => Observation, { name: field, nullable: true, description })(
    resolver.prototype,
    method,
    Object.getOwnPropertyDescriptor(resolver.prototype, method)!,
  );
}
