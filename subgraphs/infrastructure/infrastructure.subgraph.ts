import { defineSubgraph } from '../../common/graph/build-subgraph-schema';
import { infrastructureProfile } from './infrastructure.profile';
import { infrastructureMetrics } from './infrastructure.metrics';
import { InfrastructureLocality } from './locality.type';
import { resolveLocalityReference } from './locality.reference';

/** The infrastructure subgraph: its Locality, its profile with the typed headline fields, its derived metrics. */
export const infrastructureSubgraph = defineSubgraph({
  name: 'infrastructure',
  locality: InfrastructureLocality,
  resolveReference: resolveLocalityReference,
  profile: infrastructureProfile,
  metrics: infrastructureMetrics,
});
