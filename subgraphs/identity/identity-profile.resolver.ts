import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../../common/core/context';
import { createProfileResolvers, type ProfileRecord } from '../../common/graph/profile';
import { Observation } from '../../common/core/observation/observation.type';
import { IdentityProfile } from './identity-profile.type';

const base = createProfileResolvers('identity', IdentityProfile);
export const LocalityIdentityResolver = base.LocalityProfileResolver;

/** Typed headline fields: each returns the figure of the indicators whose catalogue `headline` names it. */
@Resolver(() => IdentityProfile)
export class IdentityProfileResolver extends base.ProfileResolver {
  @FieldResolver(() => Observation, { nullable: true, description: 'Activated electronic identification (VNeID) accounts.' })
  activatedEidAccounts(@Root() profile: ProfileRecord, @Ctx() ctx: RequestContext) {
    return this.headline(profile, ctx, 'activatedEidAccounts');
  }

  @FieldResolver(() => Observation, { nullable: true, description: 'Share of eligible citizens with an activated eID account, in percent (see the indicator for the denominator).' })
  eidActivationRate(@Root() profile: ProfileRecord, @Ctx() ctx: RequestContext) {
    return this.headline(profile, ctx, 'eidActivationRate');
  }
}
