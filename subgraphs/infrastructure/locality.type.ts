import { Directive, ObjectType } from 'type-graphql';
import { LocalityCore } from '../../common/core/locality/locality.type';

/** Infrastructure's own `Locality`: the shared core fields; `Locality.infrastructure` is added by its profile (infrastructure.subgraph.ts). */
@Directive('@key(fields: "code")')
@ObjectType('Locality', { description: 'An administrative unit of Vietnam (GSO code), or the country root VN.' })
export class InfrastructureLocality extends LocalityCore {}
