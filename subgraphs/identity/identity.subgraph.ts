import type { SubgraphDefinition } from '../../common/schema/build-subgraph-schema';
import { LocalityIdentityResolver, IdentityProfileResolver } from './identity-profile.resolver';

export const identitySubgraph: SubgraphDefinition = {
  name: 'identity',
  resolvers: [LocalityIdentityResolver, IdentityProfileResolver],
};
