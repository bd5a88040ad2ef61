import type { RequestContext } from '../core/context';
import type { Services } from '../data/services';
import type { LocalityRecord } from '../core/locality/locality.record';

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
