/**
 * A small client of the public graph. The dashboard's operations go by persisted id (GET, no query text: short,
 * cacheable URLs); the key is the one the gateway prefills in development, else the one the user entered.
 */

export interface GraphQLError {
  message: string;
  extensions?: { code?: string };
}

export type OperationName = 'DashboardSearch' | 'DashboardLocality' | 'DashboardProvinces';

const KEY_STORE = 'atlas.apiKey';
let prefilled: Record<string, string> = {};

/** The gateway's /web-config.json: whether the explorer is on, and (development only) the local key's headers. */
export async function loadWebConfig(): Promise<{ explorer: boolean; keyPrefilled: boolean }> {
  const response = await fetch('/web-config.json').catch(() => undefined);
  if (!response?.ok) return { explorer: false, keyPrefilled: false };
  const config = (await response.json()) as { explorer?: boolean; headers?: Record<string, string> };
  prefilled = config.headers ?? {};
  return { explorer: config.explorer === true, keyPrefilled: 'Authorization' in prefilled };
}

/** The key the user entered, kept for this tab only (sessionStorage): never logged, never put in a URL. */
export const storedKey = (): string | null => sessionStorage.getItem(KEY_STORE);
export function storeKey(key: string | null): void {
  if (key) sessionStorage.setItem(KEY_STORE, key);
  else sessionStorage.removeItem(KEY_STORE);
}

function authorization(): Record<string, string> {
  if (prefilled.Authorization) return prefilled;
  const key = storedKey();
  return key ? { Authorization: `Bearer ${key}` } : {};
}

export class GraphQLRequestError extends Error {
  constructor(
    readonly errors: GraphQLError[],
    readonly status: number,
  ) {
    super(errors.map((e) => e.message).join('; '));
  }
  /** 401: no key, or one the gateway does not know. */
  get unauthenticated(): boolean {
    return this.status === 401 || this.errors.some((e) => e.extensions?.code === 'UNAUTHENTICATED');
  }
}

export async function gql<T>(operation: OperationName, variables: Record<string, unknown> = {}): Promise<T> {
  const id = __PERSISTED_OPERATIONS__[operation];
  const params = new URLSearchParams({
    operationName: operation,
    variables: JSON.stringify(variables),
    extensions: JSON.stringify({ persistedQuery: { version: 1, sha256Hash: id } }),
  });
  // A GET needs a header a plain form cannot send (Apollo's CSRF prevention): the operation's name.
  const response = await fetch(`/graphql?${params.toString()}`, { headers: { 'x-apollo-operation-name': operation, ...authorization() } });
  const body = (await response.json().catch(() => ({ errors: [{ message: `HTTP ${response.status}` }] }))) as {
    data?: unknown;
    errors?: GraphQLError[];
  };
  if (body.errors?.length || !body.data) throw new GraphQLRequestError(body.errors ?? [{ message: 'no data' }], response.status);
  return body.data as T;
}
