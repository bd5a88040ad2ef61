import type { RequestContext } from '../context';
import type { Services } from '../services';
import type { LocalityRecord } from './locality.record';

/** The federation seam: the gateway hands a subgraph `{ __typename: "Locality", code }` and gets the row back (batched). */
export function localityReferenceResolver(services: Services) {
  return {
    Locality: {
      __resolveReference(reference: { code: string }, ctx: RequestContext): Promise<LocalityRecord | null> {
        return services.localities.byCode(ctx, reference.code);
      },
    },
  };
}
