import { Directive, ObjectType } from 'type-graphql';
import { LocalityCore } from '../../common/core/locality/locality.type';

/** Finance's own `Locality`: the shared core fields; `Locality.finance` is added by its profile (finance.subgraph.ts). */
@Directive('@key(fields: "code")')
@ObjectType('Locality', { description: 'An administrative unit of Vietnam (GSO code), or the country root VN.' })
export class FinanceLocality extends LocalityCore {}
