import { GraphQLError } from 'graphql';
import type { RemoteGraphQLDataSource } from '@apollo/gateway';
import type { Logger } from '../common/platform/logger';

type Fetcher = NonNullable<NonNullable<ConstructorParameters<typeof RemoteGraphQLDataSource>[0]>['fetcher']>;
type FetcherInit = Parameters<Fetcher>[1];

export interface ResilienceOptions {
  timeoutMs: number;
  /** Extra attempts of a query after a connection failure (never of a mutation). */
  retries?: number;
  /** First backoff; doubles each retry. */
  backoffMs?: number;
}

/** A refused or reset connection: the subgraph is not there (a timeout is not one: the subgraph may be busy). */
function isConnectionFailure(err: unknown): boolean {
  const cause = (err as { cause?: { code?: string } }).cause;
  return (
    (err as Error).name === 'TypeError' && ['ECONNREFUSED', 'ECONNRESET', 'EHOSTUNREACH', 'ENOTFOUND', 'UND_ERR_SOCKET'].includes(cause?.code ?? '')
  );
}

function operationOf(init: FetcherInit): { query: string; isQuery: boolean } {
  try {
    const { query } = JSON.parse(String(init?.body ?? '{}')) as { query?: string };
    const text = (query ?? '').trimStart();
    return { query: text, isQuery: text.startsWith('{') || text.startsWith('query') };
  } catch {
    return { query: '', isQuery: false };
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The fetcher of one subgraph's data source: a timeout per attempt; a query whose connection fails is retried
 * (bounded, with backoff); if the subgraph stays unreachable, a fetch of shared root fields only (no `_entities`)
 * is sent to a sibling subgraph serving the same @shareable fields from its copy of the same registry.
 */
export function resilientFetcher(name: string, urls: Record<string, string>, options: ResilienceOptions, log: Logger): Fetcher {
  const { timeoutMs, retries = 2, backoffMs = 50 } = options;
  const attempt = (url: string, init: FetcherInit) => fetch(url, { ...(init as RequestInit), signal: AbortSignal.timeout(timeoutMs) });
  const send = async (input: string, init: FetcherInit) => {
    const { query, isQuery } = operationOf(init);
    let failure: unknown;
    for (let i = 0; i <= (isQuery ? retries : 0); i++) {
      if (i > 0) await sleep(backoffMs * 2 ** (i - 1));
      try {
        return await attempt(input, init);
      } catch (err) {
        failure = err;
        if (!isConnectionFailure(err)) throw err;
      }
    }
    // Its own profile field (`identity { … }`) is @external in the siblings (for @requires): they would answer it with null, not an error.
    if (!isQuery || query.includes('_entities') || new RegExp(`\\b${name}\\s*\\{`).test(query)) throw failure;
    for (const [sibling, url] of Object.entries(urls)) {
      if (sibling === name) continue;
      try {
        const response = await attempt(url, init);
        const text = await response.text();
        // The sibling may lack a field of this fetch (its own domain's): then it is no substitute.
        if (!response.ok || text.includes('GRAPHQL_VALIDATION_FAILED')) continue;
        log.warn({ subgraph: name, servedBy: sibling }, 'subgraph unreachable: shared root fields served by a sibling');
        return new Response(text, { status: response.status, headers: response.headers });
      } catch {
        continue;
      }
    }
    throw failure;
  };
  // No answer at all: the error names the subgraph (extensions.serviceName), so clients see which domain's paths are null.
  return (input: string, init: FetcherInit) =>
    send(input, init).catch((err: unknown) => {
      // Logged once, with the request id, by the error-logging plugin.
      const timedOut = (err as Error).name === 'TimeoutError';
      throw new GraphQLError(`${name} subgraph ${timedOut ? 'timed out' : 'unreachable'}`, {
        originalError: err instanceof Error ? err : undefined,
        extensions: { serviceName: name },
      });
    });
}
