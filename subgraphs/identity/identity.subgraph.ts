import { defineSubgraph } from '../../common/graph/build-subgraph-schema';
import { identityProfile } from './identity.profile';
import { identityMetrics } from './identity.metrics';
import { IdentityLocality } from './locality.type';
import { resolveLocalityReference } from './locality.reference';

/** The identity subgraph: its Locality, its profile with the typed headline fields, its derived metrics. */
export const identitySubgraph = defineSubgraph({
  name: 'identity',
  locality: IdentityLocality,
  resolveReference: resolveLocalityReference,
  profile: identityProfile,
  metrics: identityMetrics,
});
