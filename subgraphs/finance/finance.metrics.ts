import { Ctx, Directive, FieldResolver, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../../common/core/context';
import { DerivedMetric, REQUIRES_ACTIVATED_EID } from '../../common/core/metrics/derived-metric.type';
import { ratioFormula, type RatioMetric } from '../../common/core/metrics/ratio';
import type { ResolverClass } from '../../common/graph/build-subgraph-schema';
import type { Services } from '../../common/data/services';
import { FinanceLocality } from './locality.type';

/** Both counts are of people aged 14 and over: eID (VNeID) accounts are issued from 14, like the chip ID card. */
export const TRANSACTION_ACCOUNT_HOLDERS_PER_ACTIVATED_EID: RatioMetric = {
  code: 'finance.derived.transaction_account_holders_14plus_per_activated_eid',
  name: 'Transaction account holders (aged 14+) per activated eID account',
  numerator: 'finance.account.transaction_account_holders_14plus',
  denominator: 'identity.eid.activated_accounts',
};

/** Derived metrics of the finance domain; each @requires the identity figures it divides by (the gateway fetches them first). */
@Resolver(() => FinanceLocality)
class FinanceMetricsResolver {
  constructor(private readonly services: Services) {}

  @Directive(`@requires(fields: "${REQUIRES_ACTIVATED_EID}")`)
  @FieldResolver(() => DerivedMetric, {
    nullable: true,
    description: `Transaction account holders aged 14+ (finance) per activated eID account (identity): how far bank accounts outnumber digital identities. Formula: ${ratioFormula(TRANSACTION_ACCOUNT_HOLDERS_PER_ACTIVATED_EID)}. Value null with a reason when the locality lacks either figure.`,
  })
  transactionAccountHoldersPerActivatedEid(@Root() locality: FinanceLocality, @Ctx() ctx: RequestContext) {
    return this.services.metrics.ratio(ctx, locality.code, TRANSACTION_ACCOUNT_HOLDERS_PER_ACTIVATED_EID, {
      'identity.eid.activated_accounts': locality.identity?.activatedEidAccounts,
    });
  }
}

export const financeMetrics: ResolverClass[] = [FinanceMetricsResolver];
