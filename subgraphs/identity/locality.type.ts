import { Directive, ObjectType } from 'type-graphql';
import { LocalityCore } from '../../common/core/locality/locality.type';

/** Identity's own `Locality`: the shared core fields; `Locality.identity` is added by its profile (identity.subgraph.ts). */
@Directive('@key(fields: "code")')
@ObjectType('Locality', { description: 'An administrative unit of Vietnam (GSO code), or the country root VN.' })
export class IdentityLocality extends LocalityCore {}
