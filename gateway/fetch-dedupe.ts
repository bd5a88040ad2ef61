import { CALLER_HEADER, unverifiedCaller } from '../common/platform/security/gateway-signature';
import { operationOf, type Fetcher, type FetcherInit } from './resilient-fetch';

/** One subgraph answer, read once and handed to every fetch that waited for it. */
interface SharedAnswer {
  status: number;
  statusText: string;
  headers: Array<[string, string]>;
  text: string;
}

/**
 * What makes two subgraph fetches the same: the subgraph, the caller (name and scopes, as signed), the query and its
 * variables. Undefined (never shared) for a mutation, a body that is not a GraphQL query, or an unsigned fetch.
 */
function dedupeKey(input: string, init: FetcherInit): string | undefined {
  const body = typeof init?.body === 'string' ? init.body : undefined;
  const signed = init?.headers?.[CALLER_HEADER];
  if (!body || typeof signed !== 'string' || !operationOf(init).isQuery) return undefined;
  const caller = unverifiedCaller(signed);
  if (!caller) return undefined;
  return `${input}\n${caller.name}\n${[...caller.scopes].sort().join(',')}\n${body}`;
}

/**
 * In-flight deduplication of subgraph queries (as Apollo Router's `deduplicate_query` and Hive Gateway do): while a
 * query is under way, an identical one (same subgraph, caller, query and variables) waits for that answer instead of
 * being sent again. Nothing is kept once the answer is in (no cache); mutations are always sent. Every waiter gets a
 * Response of its own, so each request parses and merges its own copy of the data.
 */
export function deduplicatingFetcher(fetcher: Fetcher): Fetcher {
  const inFlight = new Map<string, Promise<SharedAnswer>>();
  return async (input, init) => {
    const key = dedupeKey(input, init);
    if (key === undefined) return fetcher(input, init);
    let shared = inFlight.get(key);
    if (!shared) {
      shared = (async () => {
        const response = await fetcher(input, init);
        return { status: response.status, statusText: response.statusText, headers: [...response.headers], text: await response.text() };
      })();
      inFlight.set(key, shared);
      const forget = () => inFlight.delete(key);
      shared.then(forget, forget);
    }
    const answer = await shared;
    return new Response(answer.text, { status: answer.status, statusText: answer.statusText, headers: answer.headers });
  };
}
