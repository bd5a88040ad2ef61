import { createHash } from 'node:crypto';
import { Kind, parse, print, visit, type DefinitionNode, type FragmentDefinitionNode, type OperationDefinitionNode } from 'graphql';

/** One entry of a persisted-operation list, in Apollo's manifest format (`apollo-persisted-query-manifest`, version 1). */
export interface PersistedOperation {
  /** SHA-256 (hex) of `body`: the id a client sends as `extensions.persistedQuery.sha256Hash`. */
  id: string;
  name: string;
  type: 'query' | 'mutation' | 'subscription';
  body: string;
}

export interface PersistedOperationManifest {
  format: 'apollo-persisted-query-manifest';
  version: 1;
  operations: PersistedOperation[];
}

export const sha256Hex = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

/** The fragments an operation uses, through other fragments, in the order the source defines them. */
function usedFragments(operation: OperationDefinitionNode, fragments: Map<string, FragmentDefinitionNode>): FragmentDefinitionNode[] {
  const used = new Set<string>();
  const walk = (node: DefinitionNode) =>
    visit(node, {
      FragmentSpread(spread) {
        const name = spread.name.value;
        const fragment = fragments.get(name);
        if (!fragment) throw new Error(`operation ${operation.name?.value ?? '(anonymous)'} spreads an unknown fragment ${name}`);
        if (!used.has(name)) {
          used.add(name);
          walk(fragment);
        }
      },
    });
  walk(operation);
  return [...fragments.values()].filter((f) => used.has(f.name.value));
}

/**
 * Splits a GraphQL source of named operations and fragments into one document per operation (the operation, then
 * the fragments it uses), printed canonically, each under the SHA-256 of its text.
 */
export function buildManifest(source: string): PersistedOperationManifest {
  const document = parse(source);
  const fragments = new Map<string, FragmentDefinitionNode>();
  const operations: OperationDefinitionNode[] = [];
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
    else if (definition.kind === Kind.OPERATION_DEFINITION) operations.push(definition);
  }
  const names = new Set<string>();
  return {
    format: 'apollo-persisted-query-manifest',
    version: 1,
    operations: operations.map((operation) => {
      const name = operation.name?.value;
      if (!name || names.has(name)) throw new Error(`every persisted operation needs a unique name (${name ?? 'anonymous'})`);
      names.add(name);
      const body = [operation, ...usedFragments(operation, fragments)].map((d) => print(d)).join('\n\n');
      return { id: sha256Hex(body), name, type: operation.operation, body };
    }),
  };
}
