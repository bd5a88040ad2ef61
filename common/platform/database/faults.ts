/**
 * Errors that mean "the database is not there right now" (stopped, restarting, unreachable, out of time),
 * as opposed to a bug in a statement: a client can retry those shortly.
 */
export type DatabaseFault = 'unavailable' | 'timeout';

// SQLSTATE classes 08 (connection exception) and 57P (operator intervention: shutdown, crash, cannot connect now).
const UNAVAILABLE_SQLSTATES = /^(08\d{3}|57P0[1-4])$/;
const UNAVAILABLE_NODE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);
// pg's own messages for a connection that died or never came (they carry no code).
const UNAVAILABLE_MESSAGES =
  /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Connection is not established/i;
const STATEMENT_TIMEOUT = '57014';

/** The fault an error (or anything it wraps: TypeORM's driverError, a cause, a GraphQL originalError) stands for, if any. */
export function databaseFault(err: unknown, depth = 0): DatabaseFault | undefined {
  if (!err || typeof err !== 'object' || depth > 5) return undefined;
  const e = err as { code?: unknown; message?: unknown; driverError?: unknown; cause?: unknown; originalError?: unknown; errors?: unknown };
  const code = typeof e.code === 'string' ? e.code : '';
  if (code === STATEMENT_TIMEOUT || (typeof e.message === 'string' && /Query read timeout/.test(e.message))) return 'timeout';
  if (UNAVAILABLE_SQLSTATES.test(code) || UNAVAILABLE_NODE_CODES.has(code)) return 'unavailable';
  if (typeof e.message === 'string' && UNAVAILABLE_MESSAGES.test(e.message)) return 'unavailable';
  // An AggregateError (a refused connection on both IPv4 and IPv6) carries the real errors in `errors`.
  const inner = [e.driverError, e.cause, e.originalError, ...(Array.isArray(e.errors) ? (e.errors as unknown[]) : [])];
  for (const i of inner) {
    const fault = databaseFault(i, depth + 1);
    if (fault) return fault;
  }
  return undefined;
}

/** How long a server waits for a connection and for one statement; commands (seed, import) keep the driver's defaults. */
export interface DatabaseTimeouts {
  connectTimeoutMs: number;
  statementTimeoutMs: number;
}
