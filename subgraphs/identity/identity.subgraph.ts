import type { SubgraphDefinition } from '../../common/graph/build-subgraph-schema';
import { LocalityIdentityResolver, IdentityProfileResolver } from './identity-profile.resolver';

export const identitySubgraph: SubgraphDefinition = {
  name: 'identity',
  resolvers: [LocalityIdentityResolver, IdentityProfileResolver],
};
