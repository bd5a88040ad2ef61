import { Directive, Field, ObjectType } from 'type-graphql';
import { LocalityCore } from '../../common/core/locality/locality.type';
import { RequiredIdentityProfile } from '../../common/core/metrics/derived-metric.type';

/**
 * Infrastructure's own `Locality`: the shared core fields; `Locality.infrastructure` is added by its profile (infrastructure.subgraph.ts).
 * `identity` is identity's field, declared `@external` so that infrastructure's derived metrics can `@requires` it (infrastructure.metrics.ts).
 */
@Directive('@key(fields: "code")')
@ObjectType('Locality', { description: 'An administrative unit of Vietnam (GSO code), or the country root VN.' })
export class InfrastructureLocality extends LocalityCore {
  @Directive('@external')
  @Field(() => RequiredIdentityProfile, {
    nullable: true,
    description: 'Figures of the identity domain for this locality (served by the identity subgraph).',
  })
  identity?: RequiredIdentityProfile | null;
}
