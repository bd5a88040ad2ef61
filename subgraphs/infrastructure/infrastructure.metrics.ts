import { Ctx, Directive, FieldResolver, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../../common/core/context';
import { DerivedMetric, REQUIRES_ACTIVATED_EID } from '../../common/core/metrics/derived-metric.type';
import { ratioFormula, type RatioMetric } from '../../common/core/metrics/ratio';
import type { ResolverClass } from '../../common/graph/build-subgraph-schema';
import type { Services } from '../../common/data/services';
import { InfrastructureLocality } from './locality.type';

/** VNeID is a smartphone app: smartphone users per activated account shows how much room eID adoption still has. */
export const SMARTPHONE_USERS_PER_ACTIVATED_EID: RatioMetric = {
  code: 'infrastructure.derived.smartphone_users_per_activated_eid',
  name: 'Smartphone users per activated eID account',
  numerator: 'infrastructure.smartphone.users',
  denominator: 'identity.eid.activated_accounts',
};

/** Derived metrics of the infrastructure domain; each @requires the identity figures it divides by (the gateway fetches them first). */
@Resolver(() => InfrastructureLocality)
class InfrastructureMetricsResolver {
  constructor(private readonly services: Services) {}

  @Directive(`@requires(fields: "${REQUIRES_ACTIVATED_EID}")`)
  @FieldResolver(() => DerivedMetric, {
    nullable: true,
    description: `Smartphone users (infrastructure) per activated eID account (identity): above 1, more people hold a smartphone than have activated VNeID. Formula: ${ratioFormula(SMARTPHONE_USERS_PER_ACTIVATED_EID)}. Value null with a reason when the locality lacks either figure.`,
  })
  smartphoneUsersPerActivatedEid(@Root() locality: InfrastructureLocality, @Ctx() ctx: RequestContext) {
    return this.services.metrics.ratio(ctx, locality.code, SMARTPHONE_USERS_PER_ACTIVATED_EID, {
      'identity.eid.activated_accounts': locality.identity?.activatedEidAccounts,
    });
  }
}

export const infrastructureMetrics: ResolverClass[] = [InfrastructureMetricsResolver];
