import { buildSubgraphSchema } from '@apollo/subgraph';
import { printSchemaWithDirectives } from '@graphql-tools/utils';
import { parse, type GraphQLSchema } from 'graphql';
import { buildSchema, createResolversMap, getMetadataStorage, type NonEmptyArray } from 'type-graphql';
import type { Domain } from '../core/domain';
import { LocalityResolver } from './locality.resolver';
import { localityReferenceResolver } from './locality.reference';
import { IndicatorResolver } from './indicator.resolver';
import type { Services } from '../data/services';

/** The one place the Federation version and imported directives are pinned. */
export const FEDERATION_LINK =
  'extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key", "@shareable"])';

/** What makes a subgraph itself; everything else (registry, catalogue, server) is shared. */
export interface SubgraphDefinition {
  name: Domain;
  // type-graphql resolver classes: constructed with the Services bag.
  resolvers: Array<new (services: Services) => object>;
}

/**
 * type-graphql caches each object type's field list in its global metadata on the first build and
 * appends field resolvers to it, so a second build in the same process (compose, tests) would inherit
 * `Locality.identity` into the finance schema. Dropping the cached lists makes every build start clean.
 */
function forgetBuiltFields(): void {
  const storage = getMetadataStorage() as unknown as { objectTypes: Array<{ fields?: unknown }>; interfaceTypes: Array<{ fields?: unknown }> };
  for (const type of [...storage.objectTypes, ...storage.interfaceTypes]) delete type.fields;
}

/** Resolvers every subgraph serves: the registry and the indicator catalogue. */
const SHARED_RESOLVERS = [LocalityResolver, IndicatorResolver];

/**
 * type-graphql → SDL with directives → @apollo/subgraph (type-graphql's apollo-federation-2 recipe).
 * `services` may be omitted when only the SDL is wanted (composition); resolvers then never run.
 */
export async function buildDomainSchema(definition: SubgraphDefinition, services?: Services): Promise<GraphQLSchema> {
  forgetBuiltFields();
  const instances = new Map<unknown, object>();
  const schema = await buildSchema({
    resolvers: [...SHARED_RESOLVERS, ...definition.resolvers] as unknown as NonEmptyArray<Function>,
    container: {
      get(cls: new (s: Services | undefined) => object) {
        let instance = instances.get(cls);
        if (!instance) instances.set(cls, (instance = new cls(services)));
        return instance;
      },
    },
    skipCheck: true,
    validate: false,
  });
  const resolvers = createResolversMap(schema) as Record<string, Record<string, unknown>>;
  const reference = localityReferenceResolver(services as Services);
  resolvers.Locality = { ...resolvers.Locality, ...reference.Locality };
  return buildSubgraphSchema({
    typeDefs: parse(`${FEDERATION_LINK}\n\n${printSchemaWithDirectives(schema)}`),
    resolvers: resolvers as never,
  });
}
