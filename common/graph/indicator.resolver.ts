import { Arg, Directive, ID, Query, Resolver } from 'type-graphql';
import { Domain } from '../core/domain';
import { Indicator } from '../core/observation/observation.type';
import type { Services } from '../data/services';

/** The indicator catalogue: reference data every subgraph can answer. */
@Resolver(() => Indicator)
export class IndicatorResolver {
  constructor(private readonly services: Services) {}

  @Directive('@shareable')
  @Query(() => [Indicator], { description: 'The indicator catalogue in catalogue order, optionally of one domain.' })
  indicators(@Arg('domain', () => Domain, { nullable: true, description: 'Only the indicators of this domain.' }) domain?: Domain | null) {
    return this.services.observations.indicators(domain);
  }

  @Directive('@shareable')
  @Query(() => Indicator, { nullable: true, description: 'One indicator by code; null if unknown.' })
  indicator(@Arg('code', () => ID, { description: 'e.g. identity.eid.activation_rate' }) code: string) {
    return this.services.observations.indicator(code);
  }
}
