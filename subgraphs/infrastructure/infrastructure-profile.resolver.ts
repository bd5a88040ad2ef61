import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../../common/core/context';
import { createProfileResolvers, type ProfileRecord } from '../../common/graph/profile';
import { Observation } from '../../common/core/observation/observation.type';
import { InfrastructureProfile } from './infrastructure-profile.type';

const base = createProfileResolvers('infrastructure', InfrastructureProfile);
export const LocalityInfrastructureResolver = base.LocalityProfileResolver;

/** Typed headline fields: each returns the figure of the indicators whose catalogue `headline` names it. */
@Resolver(() => InfrastructureProfile)
export class InfrastructureProfileResolver extends base.ProfileResolver {
  @FieldResolver(() => Observation, { nullable: true, description: 'Broadcasting / base transceiver stations.' })
  baseStations(@Root() profile: ProfileRecord, @Ctx() ctx: RequestContext) {
    return this.headline(profile, ctx, 'baseStations');
  }

  @FieldResolver(() => Observation, { nullable: true, description: '5G stations on air.' })
  fiveGStations(@Root() profile: ProfileRecord, @Ctx() ctx: RequestContext) {
    return this.headline(profile, ctx, 'fiveGStations');
  }

  @FieldResolver(() => Observation, { nullable: true, description: '4G coverage in percent (population coverage first; the indicator says what is covered).' })
  coverage4g(@Root() profile: ProfileRecord, @Ctx() ctx: RequestContext) {
    return this.headline(profile, ctx, 'coverage4g');
  }

  @FieldResolver(() => Observation, { nullable: true, description: 'Fixed broadband internet subscriptions.' })
  fixedBroadbandSubscribers(@Root() profile: ProfileRecord, @Ctx() ctx: RequestContext) {
    return this.headline(profile, ctx, 'fixedBroadbandSubscribers');
  }

  @FieldResolver(() => Observation, { nullable: true, description: 'Mobile broadband internet subscriptions.' })
  mobileBroadbandSubscribers(@Root() profile: ProfileRecord, @Ctx() ctx: RequestContext) {
    return this.headline(profile, ctx, 'mobileBroadbandSubscribers');
  }
}
