import { buildSubgraphSchema } from '@apollo/subgraph';
import { printSchemaWithDirectives } from '@graphql-tools/utils';
import { parse, type GraphQLSchema } from 'graphql';
import { buildSchema, createResolversMap, type ClassType, type NonEmptyArray } from 'type-graphql';
import type { RequestContext } from '../core/context';
import type { Domain } from '../core/domain';
import type { LocalityRecord } from '../core/locality/locality.record';
import type { LocalityCore } from '../core/locality/locality.type';
import type { Services } from '../data/services';
import { scopeAuthChecker } from './auth-checker';
import { IndicatorResolver } from './indicator.resolver';
import { localityResolvers } from './locality.graph';
import { profileResolvers, type ProfileDefinition } from './profile';
import { rankingResolvers } from './ranking.graph';

/** The one place the Federation version and imported directives are pinned. */
export const FEDERATION_LINK =
  'extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key", "@shareable", "@requires", "@external"])';

/** A type-graphql resolver class; constructed once per schema with the subgraph's Services. */
export type ResolverClass = new (services: Services) => object;

/** What a subgraph declares about itself (subgraphs/<domain>/<domain>.subgraph.ts); the rest is shared. */
export interface SubgraphDeclaration {
  name: Domain;
  /** Its own `@ObjectType('Locality')`, extending the shared core fields. */
  locality: ClassType<LocalityCore>;
  /** How it resolves a Locality reference sent by the gateway. */
  resolveReference(reference: { code: string }, ctx: RequestContext, services: Services): Promise<LocalityRecord | null>;
  profile: ProfileDefinition;
  /** Derived metrics of the domain (resolver classes), if any. */
  metrics: ResolverClass[];
  /** Serves Query.rankLocalities: exactly one subgraph does, so a ranking page is computed once (docs/queries.md). */
  ranking?: boolean;
}

/** A declared subgraph with its resolver classes made (once: type-graphql keeps decorator metadata for the process's lifetime). */
export interface SubgraphDefinition extends SubgraphDeclaration {
  resolvers: ResolverClass[];
}

/** Every resolver class of one subgraph: the registry, the catalogue, its profile and its metrics. */
export function defineSubgraph(declaration: SubgraphDeclaration): SubgraphDefinition {
  const resolvers = [
    ...localityResolvers(declaration.locality),
    IndicatorResolver,
    ...(declaration.ranking ? rankingResolvers(declaration.locality) : []),
    ...profileResolvers(declaration.name, declaration.locality, declaration.profile),
    ...declaration.metrics,
  ] as ResolverClass[];
  return { ...declaration, resolvers };
}

/**
 * type-graphql → SDL with directives → @apollo/subgraph (type-graphql's apollo-federation-2 recipe).
 * `services` may be omitted when only the SDL is wanted (composition); resolvers then never run.
 */
export async function buildDomainSchema(definition: SubgraphDefinition, services?: Services): Promise<GraphQLSchema> {
  const instances = new Map<unknown, object>();
  const schema = await buildSchema({
    resolvers: definition.resolvers as unknown as NonEmptyArray<ResolverClass>,
    container: {
      get(cls: ResolverClass) {
        let instance = instances.get(cls);
        if (!instance) instances.set(cls, (instance = new cls(services as Services)));
        return instance;
      },
    },
    skipCheck: true,
    validate: false,
    authChecker: scopeAuthChecker,
  });
  schema.getQueryType()!.description =
    'Entry points: the locality registry and the indicator catalogue (every subgraph serves them), and what builds on them.';
  const resolverMap = createResolversMap(schema) as Record<string, Record<string, unknown>>;
  resolverMap.Locality = {
    ...resolverMap.Locality,
    __resolveReference: (reference: { code: string }, ctx: RequestContext) => definition.resolveReference(reference, ctx, services as Services),
  };
  return buildSubgraphSchema({
    typeDefs: parse(`${FEDERATION_LINK}\n\n${printSchemaWithDirectives(schema)}`),
    resolvers: resolverMap as never,
  });
}
