/** A small client of the public graph: POST /graphql, automatic persisted queries where the gateway has them (hash first, full text once). */

export interface GraphQLError {
  message: string;
  extensions?: { code?: string };
}

let extraHeaders: Record<string, string> = {};

/** Headers every request carries (the partner key, once keys exist), from the gateway's /web-config.json. */
export async function loadWebConfig(): Promise<{ explorer: boolean }> {
  const response = await fetch('/web-config.json').catch(() => undefined);
  if (!response?.ok) return { explorer: false };
  const config = (await response.json()) as { explorer?: boolean; headers?: Record<string, string> };
  extraHeaders = config.headers ?? {};
  return { explorer: config.explorer === true };
}

const hashes = new Map<string, string>();
async function sha256(text: string): Promise<string | undefined> {
  // crypto.subtle exists only in secure contexts (localhost or https); elsewhere the full query is sent.
  if (!globalThis.crypto?.subtle) return undefined;
  const cached = hashes.get(text);
  if (cached) return cached;
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  const hex = [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
  hashes.set(text, hex);
  return hex;
}

async function post(body: Record<string, unknown>): Promise<{ data?: unknown; errors?: GraphQLError[] }> {
  const response = await fetch('/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...extraHeaders },
    body: JSON.stringify(body),
  });
  return (await response.json()) as { data?: unknown; errors?: GraphQLError[] };
}

export class GraphQLRequestError extends Error {
  constructor(readonly errors: GraphQLError[]) {
    super(errors.map((e) => e.message).join('; '));
  }
}

/** Cleared when the gateway says it takes no persisted queries: later requests send the full text at once. */
let persisted = true;

export async function gql<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const hash = persisted ? await sha256(query) : undefined;
  let body = hash ? await post({ variables, extensions: { persistedQuery: { version: 1, sha256Hash: hash } } }) : await post({ query, variables });
  if (hash && body.errors?.some((e) => e.extensions?.code === 'PERSISTED_QUERY_NOT_FOUND')) {
    body = await post({ query, variables, extensions: { persistedQuery: { version: 1, sha256Hash: hash } } });
  } else if (hash && body.errors?.some((e) => e.extensions?.code === 'PERSISTED_QUERY_NOT_SUPPORTED')) {
    // A gateway that checks every document against the caller's schema (partner keys) takes only full queries.
    persisted = false;
    body = await post({ query, variables });
  }
  if (body.errors?.length || !body.data) throw new GraphQLRequestError(body.errors ?? [{ message: 'no data' }]);
  return body.data as T;
}
