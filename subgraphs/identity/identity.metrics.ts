import type { ResolverClass } from '../../common/graph/build-subgraph-schema';

/** Derived metrics of the identity domain (resolver classes, e.g. with Federation @requires); none yet. */
export const identityMetrics: ResolverClass[] = [];
