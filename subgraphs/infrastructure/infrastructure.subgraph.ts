import type { SubgraphDefinition } from '../../common/graph/build-subgraph-schema';
import { LocalityInfrastructureResolver, InfrastructureProfileResolver } from './infrastructure-profile.resolver';

export const infrastructureSubgraph: SubgraphDefinition = {
  name: 'infrastructure',
  resolvers: [LocalityInfrastructureResolver, InfrastructureProfileResolver],
};
