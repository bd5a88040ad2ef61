import type { Request } from 'express';
import { getOperationAST, Kind, parse, type DocumentNode, type FragmentDefinitionNode, type GraphQLSchema } from 'graphql';
import { operationCost } from '../../common/platform/server/query-limits';
import type { RequestState } from './request-state';

/** The GraphQL parameters of a request: the query string of a GET, the JSON body of a POST. */
export function graphqlParams(req: Request): Record<string, unknown> {
  const params: unknown = req.method === 'GET' ? req.query : req.body;
  return params && typeof params === 'object' ? (params as Record<string, unknown>) : {};
}

/** The request's document, parsed once for every check that needs it; null when there is none or it does not parse (Apollo answers that). */
export function requestDocument(req: Request, state: RequestState): DocumentNode | null {
  if (state.document !== undefined) return state.document;
  const source = graphqlParams(req).query;
  try {
    state.document = typeof source === 'string' ? parse(source) : null;
  } catch {
    state.document = null;
  }
  return state.document;
}

/** The request's variables (a GET sends them as JSON text); {} when absent or unreadable. */
export function requestVariables(req: Request): Record<string, unknown> {
  let variables = graphqlParams(req).variables;
  try {
    if (typeof variables === 'string') variables = JSON.parse(variables);
  } catch {
    return {};
  }
  return variables && typeof variables === 'object' ? (variables as Record<string, unknown>) : {};
}

/**
 * The estimated cost of the request's operation against the caller's schema (the estimate of the gateway's cost
 * limit: fields times worst-case list sizes), at least 1; counting stops a little past `stopAt`.
 */
export function requestCost(req: Request, state: RequestState, schema: GraphQLSchema, stopAt: number): number {
  const document = requestDocument(req, state);
  const operationName = graphqlParams(req).operationName;
  const operation = document && getOperationAST(document, typeof operationName === 'string' ? operationName : undefined);
  const root = operation && schema.getRootType(operation.operation);
  if (!document || !operation || !root) return 1;
  const fragments = Object.fromEntries(
    document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => [d.name.value, d]),
  );
  return Math.max(1, operationCost(schema, operation.selectionSet, root, fragments, requestVariables(req), stopAt));
}
