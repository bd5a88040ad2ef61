import type { ApolloServerPlugin } from '@apollo/server';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import express, { type ErrorRequestHandler } from 'express';
import {
  getNamedType,
  getNullableType,
  GraphQLError,
  isCompositeType,
  isListType,
  Kind,
  valueFromAST,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLSchema,
  type SelectionSetNode,
  type ValidationContext,
  type ASTVisitor,
} from 'graphql';

/** Refusals of a request before it runs: always a GraphQL error with one of these codes and HTTP 400. */
export const LimitCode = {
  QUERY_TOO_COSTLY: 'QUERY_TOO_COSTLY',
  BAD_REQUEST: 'BAD_REQUEST',
} as const;

/** Worst-case list sizes from the registry (10,047 communes, 696 districts, 63 provinces); unknown lists count as `DEFAULT_LIST_SIZE`. */
const LEVEL_COUNT: Record<string, number> = { COUNTRY: 1, PROVINCE: 63, DISTRICT: 696, COMMUNE: 10_047 };
const DEFAULT_LIST_SIZE = 100;
/** A domain's part of the catalogue has at most this many indicators (26 today): the size of `observations(latest: true)`. */
const OBSERVATION_INDICATORS_MAX = 40;
/** Figures of one indicator for one place: a few periods (8 in the national-scale data). */
const HISTORY_MAX = 10;
const FIXED_LIST_SIZE: Record<string, number> = { ancestors: 3, nodes: 1 }; // nodes: already sized by the connection's `first`

type Args = Record<string, unknown>;

function argumentValues(field: GraphQLField<unknown, unknown>, node: FieldNode, variables: Args): Args {
  const values: Args = {};
  for (const def of field.args) {
    const given = node.arguments?.find((a) => a.name.value === def.name);
    const value = given ? valueFromAST(given.value, def.type, variables) : def.defaultValue;
    if (value !== undefined) values[def.name] = value;
  }
  return values;
}

/** How many items one occurrence of a field may return, as the gateway must assume before running it. */
function listSize(field: GraphQLField<unknown, unknown>, args: Args, variables: Args): number {
  if (typeof args.first === 'number') return Math.max(args.first, 1);
  if (!isListType(getNullableType(field.type))) return 1;
  if (field.name in FIXED_LIST_SIZE) return FIXED_LIST_SIZE[field.name];
  if (field.name === 'children' || field.name === 'descendants')
    return typeof args.level === 'string' ? (LEVEL_COUNT[args.level] ?? DEFAULT_LIST_SIZE) : DEFAULT_LIST_SIZE;
  // A profile's figures: the named indicators (one each with latest), or at most a domain's catalogue with latest.
  if (field.name === 'observations') {
    const named = Array.isArray(args.indicators) ? args.indicators.length : undefined;
    if (args.latest === true) return Math.max(named ?? OBSERVATION_INDICATORS_MAX, 1);
    return named !== undefined ? Math.max(named, 1) * HISTORY_MAX : DEFAULT_LIST_SIZE;
  }
  // Federation's entity fetch: exactly as many items as representations sent.
  if (field.name === '_entities' && Array.isArray(variables.representations)) return Math.max(variables.representations.length, 1);
  return DEFAULT_LIST_SIZE;
}

/**
 * Estimated cost of an operation: every field counts once per item it may be resolved for, so lists multiply
 * their selections by their worst-case size. Stops early once past `stopAt` (an amplification query is huge).
 */
export function operationCost(
  schema: GraphQLSchema,
  selectionSet: SelectionSetNode,
  rootType: GraphQLCompositeType,
  fragments: Record<string, FragmentDefinitionNode>,
  variables: Args,
  stopAt = Infinity,
): number {
  let total = 0;
  const walk = (set: SelectionSetNode, parent: GraphQLCompositeType, multiplier: number, seen: Set<string>): void => {
    for (const selection of set.selections) {
      if (total > stopAt) return;
      if (selection.kind === Kind.FIELD) {
        total += multiplier;
        if (!selection.selectionSet || !('getFields' in parent)) continue;
        const field = parent.getFields()[selection.name.value];
        if (!field) continue; // introspection meta-fields: depth and token limits bound them
        const named = getNamedType(field.type);
        if (!isCompositeType(named)) continue;
        walk(selection.selectionSet, named, multiplier * listSize(field, argumentValues(field, selection, variables), variables), seen);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const type = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : parent;
        walk(selection.selectionSet, type && isCompositeType(type) ? type : parent, multiplier, seen);
      } else {
        const name = selection.name.value;
        const fragment = fragments[name];
        if (!fragment || seen.has(name)) continue; // cycles are a validation error already
        const type = schema.getType(fragment.typeCondition.name.value);
        walk(fragment.selectionSet, type && isCompositeType(type) ? type : parent, multiplier, new Set([...seen, name]));
      }
    }
  };
  walk(selectionSet, rootType, 1, new Set());
  return total;
}

/** Refuses, before execution, an operation whose estimated cost is over `maxCost` (HTTP 400, code QUERY_TOO_COSTLY). */
export function costLimitPlugin<C extends object>(maxCost: number): ApolloServerPlugin<C> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, operation, request, schema }) {
          const root = operation && schema.getRootType(operation.operation);
          if (!operation || !root) return;
          const fragments = Object.fromEntries(
            document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => [d.name.value, d]),
          );
          const cost = operationCost(schema, operation.selectionSet, root, fragments, request.variables ?? {}, maxCost);
          if (cost > maxCost) {
            throw new GraphQLError(
              `Query is too costly: it may resolve more than ${maxCost} fields (lists count by their size: first, children(level), ...). Ask for smaller pages.`,
              {
                extensions: { code: LimitCode.QUERY_TOO_COSTLY, maxCost, http: { status: 400 } },
              },
            );
          }
        },
      };
    },
  };
}

/**
 * In gateway mode Apollo leaves an unknown `operationName` to the gateway, which then answers 500;
 * refuse it here as Apollo does without a gateway (HTTP 400, OPERATION_RESOLUTION_FAILURE).
 */
export function requireOperationPlugin<C extends object>(): ApolloServerPlugin<C> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, request }) {
          if (operation) return;
          const message =
            request.operationName == null
              ? 'Must provide operation name if query contains multiple operations.'
              : `Unknown operation named "${request.operationName}".`;
          throw new GraphQLError(message, { extensions: { code: 'OPERATION_RESOLUTION_FAILURE', http: { status: 400 } } });
        },
      };
    },
  };
}

/**
 * Validation rule: a directive at most once on one field, fragment or operation (unless declared repeatable). Directive
 * overloading (`__typename @aa@aa@aa…`) is refused as such, with one error naming it, beside graphql-js's own.
 */
export function repeatedDirectivesRule(context: ValidationContext): ASTVisitor {
  return {
    enter(node) {
      const directives = 'directives' in node ? node.directives : undefined;
      if (!directives || directives.length < 2) return;
      const seen = new Set<string>();
      for (const d of directives) {
        const name = d.name.value;
        if (seen.has(name) && !context.getSchema().getDirective(name)?.isRepeatable) {
          context.reportError(new GraphQLError(`Directive "@${name}" is repeated on one location: send it once.`, { nodes: [d] }));
          return;
        }
        seen.add(name);
      }
    },
  };
}

/** Validation rule: the same response key at most `max` times in one selection set (1,000 duplicated fields are refused). */
export function maxRepeatedFieldsRule(max: number) {
  return (context: ValidationContext): ASTVisitor => ({
    SelectionSet(node) {
      const counts = new Map<string, number>();
      for (const s of node.selections) {
        if (s.kind !== Kind.FIELD) continue;
        const key = s.alias?.value ?? s.name.value;
        const n = (counts.get(key) ?? 0) + 1;
        counts.set(key, n);
        if (n === max + 1)
          context.reportError(new GraphQLError(`Field "${key}" is repeated more than ${max} times in one selection.`, { nodes: [s] }));
      }
    },
  });
}

/**
 * Express error handler for what fails before GraphQL runs (malformed JSON, a body over the limit):
 * a GraphQL-shaped error with code BAD_REQUEST and HTTP 400, never the default HTML page with a stack.
 */
export const bodyErrorHandler: ErrorRequestHandler = (err: { type?: string; limit?: number }, _req, res, _next) => {
  const message =
    err.type === 'entity.too.large'
      ? `Request body is larger than the limit of ${err.limit ?? '?'} bytes.`
      : err.type === 'entity.parse.failed'
        ? 'Request body is not valid JSON.'
        : 'Request could not be read.';
  res.status(400).json({ errors: [{ message, extensions: { code: LimitCode.BAD_REQUEST } }] });
};

/** A subgraph's own limits (it may be reached past the gateway): looser than the gateway's, which already refused abuse. */
export const SUBGRAPH_LIMITS = { maxBodyBytes: 1_000_000, maxTokens: 20_000, maxDepth: 25, maxCost: 50_000 } as const;

/** Spread into a subgraph's ApolloServer options; `bodyParser` and `errorHandler` wrap its /graphql route. */
export function subgraphLimits<C extends object>(limits = SUBGRAPH_LIMITS) {
  const armor = new ApolloArmor({
    maxDepth: { n: limits.maxDepth, flattenFragments: true, exposeLimits: true },
    maxAliases: { enabled: false },
    maxDirectives: { enabled: false },
    maxTokens: { enabled: false },
    costLimit: { enabled: false },
    blockFieldSuggestion: { enabled: false },
  }).protect();
  return {
    apollo: {
      allowBatchedHttpRequests: false,
      parseOptions: { maxTokens: limits.maxTokens },
      validationRules: [...armor.validationRules, repeatedDirectivesRule],
      plugins: [costLimitPlugin<C>(limits.maxCost)],
    },
    bodyParser: express.json({ limit: limits.maxBodyBytes }),
    errorHandler: bodyErrorHandler,
  };
}
