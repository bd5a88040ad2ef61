import type { SubgraphDefinition } from '../../common/schema/build-subgraph-schema';
import { LocalityInfrastructureResolver, InfrastructureProfileResolver } from './infrastructure-profile.resolver';

export const infrastructureSubgraph: SubgraphDefinition = {
  name: 'infrastructure',
  resolvers: [LocalityInfrastructureResolver, InfrastructureProfileResolver],
};
