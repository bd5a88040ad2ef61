import { Supergraph } from '@apollo/federation-internals';
import {
  Kind,
  parse,
  print,
  TypeInfo,
  validate,
  visit,
  visitWithTypeInfo,
  type ASTNode,
  type DocumentNode,
  type FieldNode,
  type GraphQLError,
  type GraphQLSchema,
} from 'graphql';

/** A field a sibling does not serve (the dead domain's own), and where it sits in the response. */
interface DroppedField {
  /** Response keys from the root to the field's parent (inline fragments add none). */
  parentPath: string[];
  key: string;
  coordinate: string;
}

export interface SiblingFetch {
  /** The fetch's document without the dropped fields (and the variables only they used). */
  query: string;
  dropped: DroppedField[];
}

/** Each subgraph's own schema, extracted once from the supergraph the gateway runs on. */
export class SubgraphSchemas {
  private schemas: Map<string, { schema: GraphQLSchema; external: ReadonlySet<string> }> | undefined;
  constructor(private readonly supergraphSdl: string) {}

  get(name: string): GraphQLSchema | undefined {
    return this.load().get(name)?.schema;
  }

  /** `Type.field` coordinates the subgraph declares @external (for @requires): it can parse them, never answer them. */
  external(name: string): ReadonlySet<string> {
    return this.load().get(name)?.external ?? new Set();
  }

  private load() {
    this.schemas ??= new Map(
      [...Supergraph.build(this.supergraphSdl).subgraphs()].map((s) => {
        const metadata = s.metadata();
        const external = new Set(
          s.schema
            .objectTypes()
            .flatMap((type) => type.fields().filter((field) => metadata.isFieldExternal(field)))
            .map((field) => field.coordinate),
        );
        return [s.name, { schema: s.schema.toGraphQLJSSchema(), external }];
      }),
    );
    return this.schemas;
  }
}

/** The response keys of the fields enclosing `ancestors`' last node (fields only; fragments and selection sets add none). */
function responsePath(ancestors: ReadonlyArray<ASTNode | ReadonlyArray<ASTNode>>): string[] {
  return ancestors.filter((a): a is FieldNode => !Array.isArray(a) && (a as ASTNode).kind === Kind.FIELD).map((f) => f.alias?.value ?? f.name.value);
}

/**
 * Rewrites a root fetch planned on a dead subgraph for a sibling: every field the sibling's schema lacks or only
 * declares @external is dropped
 * (with any selection left empty), and the variables only they used. Undefined when nothing the sibling can answer is
 * left, or the rewrite is not a valid operation for it (it is then no substitute).
 */
export function forSibling(query: string, sibling: GraphQLSchema, external: ReadonlySet<string> = new Set()): SiblingFetch | undefined {
  let document: DocumentNode;
  try {
    document = parse(query);
  } catch {
    return undefined;
  }
  const dropped: DroppedField[] = [];
  const typeInfo = new TypeInfo(sibling);
  const pruned = visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Field: {
        enter(node, _key, _parent, _path, ancestors) {
          const parentType = typeInfo.getParentType()?.name ?? '?';
          // An @external field (the dead domain's profile, required by a metric) would come back a silent null.
          if (typeInfo.getFieldDef() && !external.has(`${parentType}.${node.name.value}`)) return undefined;
          dropped.push({
            parentPath: responsePath(ancestors),
            key: node.alias?.value ?? node.name.value,
            coordinate: `${parentType}.${node.name.value}`,
          });
          return null;
        },
      },
    }),
  );
  if (!dropped.length) return { query, dropped };
  // Selections left empty go too, from the inside out (a field or fragment whose every child was dropped).
  const emptied = visit(pruned, {
    leave(node) {
      if ((node.kind === Kind.FIELD || node.kind === Kind.INLINE_FRAGMENT) && node.selectionSet && node.selectionSet.selections.length === 0)
        return null;
      return undefined;
    },
  });
  const used = new Set<string>();
  visit(emptied, {
    VariableDefinition: () => false,
    Variable: (node) => {
      used.add(node.name.value);
    },
  });
  const rewritten = visit(emptied, {
    VariableDefinition: (node) => (used.has(node.variable.name.value) ? undefined : null),
  });
  const operation = rewritten.definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION);
  if (!operation || operation.selectionSet.selections.length === 0) return undefined;
  const errors: readonly GraphQLError[] = validate(sibling, rewritten);
  if (errors.length) return undefined;
  return { query: print(rewritten), dropped };
}

/** At most this many errors for dropped fields in one response: one per list item would drown the data. */
const MAX_ERRORS = 100;

/** One error per place a dropped field would have been, naming the dead subgraph, paths read from the sibling's data. */
export function droppedFieldErrors(
  data: unknown,
  dropped: DroppedField[],
  deadSubgraph: string,
): Array<{ message: string; path: Array<string | number>; extensions: Record<string, unknown> }> {
  const errors: Array<{ message: string; path: Array<string | number>; extensions: Record<string, unknown> }> = [];
  const walk = (value: unknown, rest: string[], at: Array<string | number>, field: DroppedField) => {
    if (errors.length >= MAX_ERRORS || value === null || typeof value !== 'object') return;
    if (Array.isArray(value)) {
      value.forEach((item, i) => walk(item, rest, [...at, i], field));
      return;
    }
    if (rest.length === 0) {
      errors.push({
        message: `The ${deadSubgraph} subgraph is unavailable: ${field.coordinate} is null.`,
        path: [...at, field.key],
        extensions: { code: 'SUBGRAPH_UNAVAILABLE', serviceName: deadSubgraph },
      });
      return;
    }
    walk((value as Record<string, unknown>)[rest[0]], rest.slice(1), [...at, rest[0]], field);
  };
  for (const field of dropped) walk(data, field.parentPath, [], field);
  return errors;
}
