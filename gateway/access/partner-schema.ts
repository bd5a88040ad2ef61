import { Supergraph } from '@apollo/federation-internals';
import { MapperKind, mapSchema, pruneSchema } from '@graphql-tools/utils';
import { Kind, parse, type ConstDirectiveNode, type GraphQLSchema } from 'graphql';
import { DOMAINS } from '../../common/core/domain';
import { SCOPES } from '../../common/core/scopes';

/** The subgraphs (by name) that serve each type and each `Type.field` of the supergraph, read from its @join__ directives. */
interface Ownership {
  types: Map<string, Set<string>>;
  fields: Map<string, Set<string>>;
}

const graphArg = (d: ConstDirectiveNode) => {
  const arg = d.arguments?.find((a) => a.name.value === 'graph');
  return arg?.value.kind === Kind.ENUM ? arg.value.value : undefined;
};

function readOwnership(supergraphSdl: string): Ownership {
  const document = parse(supergraphSdl);
  const graphNames = new Map<string, string>();
  const types = new Map<string, Set<string>>();
  const fields = new Map<string, Set<string>>();
  for (const def of document.definitions) {
    if (def.kind === Kind.ENUM_TYPE_DEFINITION && def.name.value === 'join__Graph') {
      for (const value of def.values ?? []) {
        const nameArg = value.directives?.find((d) => d.name.value === 'join__graph')?.arguments?.find((a) => a.name.value === 'name');
        if (nameArg?.value.kind === Kind.STRING) graphNames.set(value.name.value, nameArg.value.value);
      }
    }
  }
  // An @external field (declared by a subgraph only to @require it from its owner) is not served by that subgraph.
  const external = (d: ConstDirectiveNode) => d.arguments?.some((a) => a.name.value === 'external' && a.value.kind === Kind.BOOLEAN && a.value.value);
  const named = (ds: readonly ConstDirectiveNode[] | undefined, directive: string) =>
    new Set((ds ?? []).filter((d) => d.name.value === directive && !external(d)).flatMap((d) => graphNames.get(graphArg(d) ?? '') ?? []));
  for (const def of document.definitions) {
    if (def.kind !== Kind.OBJECT_TYPE_DEFINITION && def.kind !== Kind.INTERFACE_TYPE_DEFINITION && def.kind !== Kind.ENUM_TYPE_DEFINITION) continue;
    if (def.kind !== Kind.ENUM_TYPE_DEFINITION) {
      const typeGraphs = named(def.directives, 'join__type');
      types.set(def.name.value, typeGraphs);
      for (const field of def.fields ?? []) {
        const fieldGraphs = named(field.directives, 'join__field');
        fields.set(`${def.name.value}.${field.name.value}`, fieldGraphs.size ? fieldGraphs : typeGraphs);
      }
    }
  }
  return { types, fields };
}

/**
 * One API schema per scope set, derived from the supergraph: a field served only by subgraphs of domains the
 * caller may not read is removed, and then every type left unreachable, so introspection and validation
 * behave as if the hidden parts did not exist. Core types (served by every domain subgraph) always stay; the
 * admin subgraph's fields (Query.auditLog) need the admin scope, as its subgraph is named after it.
 */
export class PartnerSchemas {
  private readonly ownership: Ownership;
  private readonly apiSchema: GraphQLSchema;
  private readonly cache = new Map<string, GraphQLSchema>();

  constructor(supergraphSdl: string) {
    this.ownership = readOwnership(supergraphSdl);
    this.apiSchema = Supergraph.build(supergraphSdl).apiSchema().toGraphQLJSSchema();
  }

  /** The schema a caller with these scopes sees (cached: there are at most 2^4 scope sets). */
  forScopes(scopes: readonly string[]): GraphQLSchema {
    const held = SCOPES.filter((s) => scopes.includes(s));
    const key = held.join(',');
    let schema = this.cache.get(key);
    if (!schema) this.cache.set(key, (schema = this.build(new Set(held))));
    return schema;
  }

  /** True for the schema of a caller who holds every scope (the whole API schema). */
  isWhole(schema: GraphQLSchema): boolean {
    return schema === this.apiSchema;
  }

  /** The domains whose subgraphs serve `Type.field` (empty for fields the supergraph does not know, e.g. introspection). */
  domainsOf(typeName: string, fieldName: string): ReadonlySet<string> {
    return this.ownership.fields.get(`${typeName}.${fieldName}`) ?? new Set();
  }

  private build(visible: Set<string>): GraphQLSchema {
    if (visible.size === SCOPES.length) return this.apiSchema;
    // Core: served by every domain subgraph (or unknown to the supergraph's join directives); else it needs one of its subgraphs' scopes.
    const seen = (graphs: Set<string> | undefined) =>
      !graphs || graphs.size === 0 || DOMAINS.every((d) => graphs.has(d)) || [...graphs].some((g) => visible.has(g));
    const filtered = mapSchema(this.apiSchema, {
      [MapperKind.OBJECT_FIELD]: (config, fieldName, typeName) => (seen(this.ownership.fields.get(`${typeName}.${fieldName}`)) ? config : null),
    });
    return pruneSchema(filtered);
  }
}
