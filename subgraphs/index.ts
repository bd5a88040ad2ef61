import type { Domain } from '../common/core/domain';
import type { SubgraphDefinition } from '../common/graph/build-subgraph-schema';
import { financeSubgraph } from './finance/finance.subgraph';
import { identitySubgraph } from './identity/identity.subgraph';
import { infrastructureSubgraph } from './infrastructure/infrastructure.subgraph';

/** The three domain subgraphs, in composition order. */
export const SUBGRAPHS: Record<Domain, SubgraphDefinition> = {
  identity: identitySubgraph,
  finance: financeSubgraph,
  infrastructure: infrastructureSubgraph,
};
