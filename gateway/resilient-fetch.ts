import type { RemoteGraphQLDataSource } from '@apollo/gateway';
import { GraphQLError } from 'graphql';
import { ErrorCode } from '../common/core/errors';
import type { Logger } from '../common/platform/logger';
import { droppedFieldErrors, forSibling, SubgraphSchemas } from './shared-root-failover';

export type Fetcher = NonNullable<NonNullable<ConstructorParameters<typeof RemoteGraphQLDataSource>[0]>['fetcher']>;
export type FetcherInit = Parameters<Fetcher>[1];

export interface ResilienceOptions {
  timeoutMs: number;
  /** Extra attempts of a query after a connection failure (never of a mutation). */
  retries?: number;
  /** First backoff; doubles each retry. */
  backoffMs?: number;
  /** The supergraph the gateway runs on: tells which fields of a fetch a sibling serves. */
  supergraphSdl?: string;
}

/** One extraction of the subgraph schemas per supergraph, shared by the three fetchers. */
const schemasBySupergraph = new Map<string, SubgraphSchemas>();
function subgraphSchemas(sdl: string): SubgraphSchemas {
  let schemas = schemasBySupergraph.get(sdl);
  if (!schemas) {
    schemasBySupergraph.clear(); // a new supergraph replaces the old one
    schemas = new SubgraphSchemas(sdl);
    schemasBySupergraph.set(sdl, schemas);
  }
  return schemas;
}

/** A refused or reset connection: the subgraph is not there (a timeout is not one: the subgraph may be busy). */
function isConnectionFailure(err: unknown): boolean {
  const cause = (err as { cause?: { code?: string } }).cause;
  return (
    (err as Error).name === 'TypeError' && ['ECONNREFUSED', 'ECONNRESET', 'EHOSTUNREACH', 'ENOTFOUND', 'UND_ERR_SOCKET'].includes(cause?.code ?? '')
  );
}

interface FetchBody {
  query?: string;
  [key: string]: unknown;
}

/** The GraphQL body of a subgraph fetch, and whether it is a query (never a mutation): only queries are retried or shared. */
export function operationOf(init: FetcherInit): { body: FetchBody; query: string; isQuery: boolean } {
  try {
    const body = JSON.parse(String(init?.body ?? '{}')) as FetchBody;
    const text = (body.query ?? '').trimStart();
    return { body, query: text, isQuery: text.startsWith('{') || text.startsWith('query') };
  } catch {
    return { body: {}, query: '', isQuery: false };
  }
}

/**
 * What the client reads when a subgraph cannot be reached or is too slow: its domain and a code to act on, never its
 * internal URL (the gateway relays a thrown GraphQLError as it is; formatError keeps public codes).
 */
function unavailable(name: string, err: unknown, timeoutMs: number): GraphQLError {
  if ((err as Error).name === 'TimeoutError') {
    return new GraphQLError(`The ${name} subgraph did not answer within ${timeoutMs} ms: its fields are null.`, {
      extensions: { code: ErrorCode.SUBGRAPH_UNAVAILABLE, serviceName: name },
    });
  }
  // Every failure names the subgraph (extensions.serviceName), so clients see which domain's paths are null.
  return new GraphQLError(`The ${name} subgraph is unavailable: its fields are null.`, {
    originalError: err instanceof Error ? err : undefined,
    extensions: { code: ErrorCode.SUBGRAPH_UNAVAILABLE, serviceName: name },
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The fetcher of one subgraph's data source: a timeout per attempt; a query whose connection fails is retried
 * (bounded, with backoff); if the subgraph stays unreachable, a root fetch (no `_entities`) is sent to a sibling
 * subgraph serving the same @shareable fields from its copy of the same registry, without the fields only the dead
 * subgraph serves: those come back null, each with a SUBGRAPH_UNAVAILABLE error naming it.
 */
export function resilientFetcher(name: string, urls: Record<string, string>, options: ResilienceOptions, log: Logger): Fetcher {
  const { timeoutMs, retries = 2, backoffMs = 50 } = options;
  const schemas = options.supergraphSdl === undefined ? undefined : subgraphSchemas(options.supergraphSdl);
  const attempt = (url: string, init: FetcherInit) => fetch(url, { ...(init as RequestInit), signal: AbortSignal.timeout(timeoutMs) });
  return async (input: string, init: FetcherInit) => {
    const { body, query, isQuery } = operationOf(init);
    let failure: unknown;
    for (let i = 0; i <= (isQuery ? retries : 0); i++) {
      if (i > 0) await sleep(backoffMs * 2 ** (i - 1));
      try {
        return await attempt(input, init);
      } catch (err) {
        failure = err;
        if (!isConnectionFailure(err)) throw unavailable(name, err, timeoutMs);
      }
    }
    if (!isQuery || query.includes('_entities')) throw unavailable(name, failure, timeoutMs);
    for (const [sibling, url] of Object.entries(urls)) {
      if (sibling === name) continue;
      const siblingSchema = schemas?.get(sibling);
      const rewritten = schemas && siblingSchema ? forSibling(query, siblingSchema, schemas.external(sibling)) : { query, dropped: [] };
      if (!rewritten) continue; // nothing it could answer
      try {
        const response = await attempt(url, { ...init, body: JSON.stringify({ ...body, query: rewritten.query }) });
        const text = await response.text();
        // The sibling may lack a field of this fetch (its own domain's): then it is no substitute.
        if (!response.ok || text.includes('GRAPHQL_VALIDATION_FAILED')) continue;
        log.warn(
          { subgraph: name, servedBy: sibling, dropped: rewritten.dropped.map((d) => d.coordinate) },
          'subgraph unreachable: root fields served by a sibling',
        );
        if (!rewritten.dropped.length) return new Response(text, { status: response.status, headers: response.headers });
        const answer = JSON.parse(text) as { data?: unknown; errors?: unknown[] };
        const errors = [...(answer.errors ?? []), ...droppedFieldErrors(answer.data, rewritten.dropped, name)];
        return new Response(JSON.stringify({ ...answer, errors }), { status: response.status, headers: { 'content-type': 'application/json' } });
      } catch {
        continue;
      }
    }
    throw unavailable(name, failure, timeoutMs);
  };
}
