import type { RequestContext } from '../../common/core/context';
import type { LocalityRecord } from '../../common/core/locality/locality.record';
import type { Services } from '../../common/data/services';
import { resolveLocalityReference as fromRegistry } from '../../common/graph/locality.graph';
import type { RequiredIdentityProfile } from '../../common/core/metrics/derived-metric.type';

/**
 * Federation seam: the gateway sends `{ __typename: "Locality", code }`; finance answers from its own registry copy.
 * For a metric that `@requires` identity figures, the representation also carries `identity`: it rides along on the record.
 */
export async function resolveLocalityReference(
  reference: { code: string; identity?: RequiredIdentityProfile | null },
  ctx: RequestContext,
  services: Services,
): Promise<(LocalityRecord & { identity?: RequiredIdentityProfile | null }) | null> {
  const record = await fromRegistry(reference, ctx, services);
  return record && 'identity' in reference ? { ...record, identity: reference.identity } : record;
}
