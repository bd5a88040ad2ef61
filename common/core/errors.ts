import { GraphQLError, type GraphQLFormattedError } from 'graphql';

/** Error codes clients can act on; anything else reaching a client is masked as INTERNAL_SERVER_ERROR. */
export const ErrorCode = {
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  UNKNOWN_LOCALITY: 'UNKNOWN_LOCALITY',
  UNKNOWN_INDICATOR: 'UNKNOWN_INDICATOR',
  FORBIDDEN: 'FORBIDDEN',
  /** The database is stopped, restarting or too slow: retry shortly (common/platform/database/faults.ts). */
  DATABASE_UNAVAILABLE: 'DATABASE_UNAVAILABLE',
  /** A subgraph is down: its fields are null, the rest of the answer stands (gateway/shared-root-failover.ts). */
  SUBGRAPH_UNAVAILABLE: 'SUBGRAPH_UNAVAILABLE',
  INTERNAL_SERVER_ERROR: 'INTERNAL_SERVER_ERROR',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** Codes whose message is written for the client. INTERNAL_SERVER_ERROR is not one: its message is replaced. */
const PUBLIC_CODES = new Set<string>(Object.values(ErrorCode).filter((c) => c !== ErrorCode.INTERNAL_SERVER_ERROR));
// Apollo's own client-facing codes (parse/validation errors and the like) pass through too.
const APOLLO_CODES = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
  'BAD_REQUEST',
  // Refusals of the query limits (common/platform/server/query-limits.ts).
  'QUERY_TOO_COSTLY',
]);

export function userError(
  code: Exclude<ErrorCode, 'INTERNAL_SERVER_ERROR'>,
  message: string,
  extensions: Record<string, unknown> = {},
): GraphQLError {
  return new GraphQLError(message, { extensions: { code, ...extensions } });
}

export const badInput = (message: string, argument?: string) => userError(ErrorCode.BAD_USER_INPUT, message, argument ? { argument } : {});

export const INTERNAL_MESSAGE = 'Internal server error';

/** True for errors whose message was written for the client (our codes and Apollo's request errors). */
export function isPublicError(extensions: Record<string, unknown> | undefined): boolean {
  const code = typeof extensions?.code === 'string' ? extensions.code : '';
  return PUBLIC_CODES.has(code) || APOLLO_CODES.has(code);
}

/**
 * Apollo `formatError`: keeps messages of deliberate errors and masks the rest (no SQL, no stack
 * traces). Clients quote the `x-request-id` response header; the server log has the details under it.
 */
export function formatError(formatted: GraphQLFormattedError): GraphQLFormattedError {
  // `response` (a subgraph's HTTP answer, relayed by the gateway) names internal URLs: never passed on as it is.
  const { stacktrace: _drop, response, ...extensions } = formatted.extensions ?? {};
  const refused = refusedBySubgraph(response);
  if (refused) return { message: refused.message, locations: formatted.locations, path: formatted.path, extensions: refused.extensions };
  if (isPublicError(formatted.extensions)) {
    return { ...formatted, extensions };
  }
  // An error relayed by the gateway was already masked by its subgraph; keep which subgraph it came from.
  if (formatted.extensions?.serviceName && formatted.message === INTERNAL_MESSAGE) {
    return { ...formatted, extensions };
  }
  return {
    message: INTERNAL_MESSAGE,
    locations: formatted.locations,
    path: formatted.path,
    extensions: {
      code: ErrorCode.INTERNAL_SERVER_ERROR,
      ...(formatted.extensions?.serviceName ? { serviceName: formatted.extensions.serviceName } : {}),
    },
  };
}

/**
 * A subgraph that refuses a request with HTTP 400 (e.g. a Date argument that is not a date: only the subgraph knows
 * the scalar) answers with a client error of its own; the gateway relays it as "400: Bad Request". Its first
 * error, when it carries a public code, is what the client needs to read.
 */
function refusedBySubgraph(response: unknown): { message: string; extensions: Record<string, unknown> } | undefined {
  const body = (response as { status?: number; body?: { errors?: GraphQLFormattedError[] } } | undefined)?.body;
  const first = (response as { status?: number } | undefined)?.status === 400 ? body?.errors?.[0] : undefined;
  if (!first || !isPublicError(first.extensions)) return undefined;
  return { message: first.message, extensions: { code: first.extensions!.code } };
}
