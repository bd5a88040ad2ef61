import type { SubgraphDefinition } from '../../common/graph/build-subgraph-schema';
import { LocalityFinanceResolver, FinanceProfileResolver } from './finance-profile.resolver';

export const financeSubgraph: SubgraphDefinition = {
  name: 'finance',
  resolvers: [LocalityFinanceResolver, FinanceProfileResolver],
};
