import { GraphQLError, type GraphQLFormattedError } from 'graphql';

/** Error codes clients can act on; anything else reaching a client is masked as INTERNAL_SERVER_ERROR. */
export const ErrorCode = {
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  UNKNOWN_LOCALITY: 'UNKNOWN_LOCALITY',
  UNKNOWN_INDICATOR: 'UNKNOWN_INDICATOR',
  FORBIDDEN: 'FORBIDDEN',
  INTERNAL_SERVER_ERROR: 'INTERNAL_SERVER_ERROR',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

const PUBLIC_CODES = new Set<string>(Object.values(ErrorCode));
// Apollo's own client-facing codes (parse/validation errors and the like) pass through too.
const APOLLO_CODES = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
  'BAD_REQUEST',
]);

export function userError(code: Exclude<ErrorCode, 'INTERNAL_SERVER_ERROR'>, message: string, extensions: Record<string, unknown> = {}): GraphQLError {
  return new GraphQLError(message, { extensions: { code, ...extensions } });
}

export const badInput = (message: string, argument?: string) =>
  userError(ErrorCode.BAD_USER_INPUT, message, argument ? { argument } : {});

/**
 * Apollo `formatError`: keeps messages of deliberate errors, masks the rest (no SQL, no stack traces),
 * and tells the client which request id to quote.
 */
export function formatError(formatted: GraphQLFormattedError, requestId?: string): GraphQLFormattedError {
  const code = String(formatted.extensions?.code ?? '');
  const { stacktrace: _drop, ...extensions } = formatted.extensions ?? {};
  if (PUBLIC_CODES.has(code) || APOLLO_CODES.has(code)) {
    return { ...formatted, extensions };
  }
  // Errors relayed by the gateway from a subgraph keep their (already formatted) code.
  if (code === 'DOWNSTREAM_SERVICE_ERROR' || formatted.extensions?.serviceName) return { ...formatted, extensions };
  return {
    message: 'Internal server error',
    locations: formatted.locations,
    path: formatted.path,
    extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR, ...(requestId ? { requestId } : {}) },
  };
}
