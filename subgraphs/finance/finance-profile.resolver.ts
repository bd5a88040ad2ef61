import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../../common/core/context';
import { createProfileResolvers, type ProfileRecord } from '../../common/graph/profile';
import { Observation } from '../../common/core/observation/observation.type';
import { FinanceProfile } from './finance-profile.type';

const base = createProfileResolvers('finance', FinanceProfile);
export const LocalityFinanceResolver = base.LocalityProfileResolver;

/** Typed headline fields: each returns the figure of the indicators whose catalogue `headline` names it. */
@Resolver(() => FinanceProfile)
export class FinanceProfileResolver extends base.ProfileResolver {
  @FieldResolver(() => Observation, { nullable: true, description: 'People with a transaction account at a bank or other licensed institution.' })
  transactionAccountHolders(@Root() profile: ProfileRecord, @Ctx() ctx: RequestContext) {
    return this.headline(profile, ctx, 'transactionAccountHolders');
  }

  @FieldResolver(() => Observation, { nullable: true, description: 'Share of people with a transaction account, in percent (the indicator names the age group).' })
  transactionAccountRate(@Root() profile: ProfileRecord, @Ctx() ctx: RequestContext) {
    return this.headline(profile, ctx, 'transactionAccountRate');
  }

  @FieldResolver(() => Observation, { nullable: true, description: 'Share of social-benefit beneficiaries and meritorious people paid through accounts, in percent.' })
  benefitsPaidThroughAccounts(@Root() profile: ProfileRecord, @Ctx() ctx: RequestContext) {
    return this.headline(profile, ctx, 'benefitsPaidThroughAccounts');
  }
}
