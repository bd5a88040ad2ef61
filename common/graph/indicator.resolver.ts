import { Arg, Directive, ID, Query, Resolver } from 'type-graphql';
import type { Services } from '../data/services';
import { Indicator } from '../core/observation/observation.type';

/** The indicator catalogue: reference data every subgraph can answer. */
@Resolver(() => Indicator)
export class IndicatorResolver {
  constructor(private readonly services: Services) {}

  @Directive('@shareable')
  @Query(() => [Indicator], { description: 'The indicator catalogue, optionally of one domain (identity, finance, infrastructure).' })
  indicators(@Arg('domain', () => String, { nullable: true }) domain?: string | null) {
    return this.services.observations.indicators(domain);
  }

  @Directive('@shareable')
  @Query(() => Indicator, { nullable: true, description: 'One indicator by code; null if unknown.' })
  indicator(@Arg('code', () => ID) code: string) {
    return this.services.observations.indicator(code);
  }
}
