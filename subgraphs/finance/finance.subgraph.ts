import { defineSubgraph } from '../../common/graph/build-subgraph-schema';
import { financeProfile } from './finance.profile';
import { financeMetrics } from './finance.metrics';
import { FinanceLocality } from './locality.type';
import { resolveLocalityReference } from './locality.reference';

/** The finance subgraph: its Locality, its profile with the typed headline fields, its derived metrics, and the cross-domain ranking. */
export const financeSubgraph = defineSubgraph({
  name: 'finance',
  locality: FinanceLocality,
  resolveReference: resolveLocalityReference,
  profile: financeProfile,
  metrics: financeMetrics,
  ranking: true,
});
