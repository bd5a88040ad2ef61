import fs from 'node:fs';
import type { Request, RequestHandler } from 'express';
import { fromRoot } from '../common/platform/paths';
import { sendGraphQLError } from '../common/platform/server/error-response';
import type { PersistedOperationManifest } from './persisted-operations-manifest';
import { requestState } from './access/request-state';

/** The dashboard's operations, written by `npm run build` (scripts/build-web.ts) from web/dashboard/operations.graphql. */
export const PERSISTED_OPERATIONS_FILE = fromRoot('dist/web/persisted-operations.json');

/** Listed operation texts by id; an absent file (web client not built) lists none. */
export function loadPersistedOperations(file = PERSISTED_OPERATIONS_FILE): Map<string, string> {
  if (!fs.existsSync(file)) return new Map();
  const manifest = JSON.parse(fs.readFileSync(file, 'utf8')) as PersistedOperationManifest;
  if (manifest.format !== 'apollo-persisted-query-manifest' || manifest.version !== 1) throw new Error(`${file}: not a persisted-operation manifest`);
  return new Map(manifest.operations.map((o) => [o.id, o.body]));
}

type Params = Record<string, unknown>;

/** `extensions` of a POST body (an object) or of a GET query string (JSON text); undefined when absent or unreadable. */
function extensionsOf(params: Params): Params | undefined {
  const raw = params.extensions;
  if (typeof raw === 'object' && raw !== null) return raw as Params;
  if (typeof raw !== 'string') return undefined;
  try {
    const parsed = JSON.parse(raw) as unknown;
    return typeof parsed === 'object' && parsed !== null ? (parsed as Params) : undefined;
  } catch {
    return undefined; // Apollo answers an unreadable `extensions` with its own 400
  }
}

function setParams(req: Request, params: Params): void {
  if (req.method === 'GET') {
    // Express 5's req.query is a getter over the URL: Apollo reads the URL, so the query string is rewritten.
    const search = new URLSearchParams();
    for (const [name, value] of Object.entries(params)) search.set(name, typeof value === 'string' ? value : JSON.stringify(value));
    req.url = `${req.path}?${search.toString()}`;
  } else {
    req.body = params;
  }
}

/**
 * Persisted operations by id (a safelist, not Apollo's automatic registration): a request with
 * `extensions.persistedQuery.sha256Hash` and no `query` runs the listed text of that id, put in place before the partner
 * schema check and Apollo's validation see the request. An id not on the list gets PERSISTED_QUERY_NOT_FOUND with
 * HTTP 200 and `cache-control: private, no-cache, must-revalidate` (Apollo's convention, so APQ clients fall back to the
 * full text). A request with full text is left as it is: Apollo still refuses a hash beside it (PERSISTED_QUERY_NOT_SUPPORTED).
 */
export function persistedOperations(list: Map<string, string>): RequestHandler {
  return (req, res, next) => {
    const params = (req.method === 'GET' ? req.query : req.body) as Params | undefined;
    if (!params || typeof params !== 'object' || params.query !== undefined) return next();
    const extensions = extensionsOf(params);
    const persisted = extensions?.persistedQuery as Params | undefined;
    if (!persisted || typeof persisted !== 'object') return next();
    const id = persisted.sha256Hash;
    const text = typeof id === 'string' ? list.get(id.toLowerCase()) : undefined;
    if (text === undefined) {
      requestState(res).errorCodes.add('PERSISTED_QUERY_NOT_FOUND');
      const shown = typeof id === 'string' ? JSON.stringify(id.slice(0, 80)) : `of type ${typeof id}`;
      return sendGraphQLError(
        res,
        200,
        'PERSISTED_QUERY_NOT_FOUND',
        `extensions.persistedQuery.sha256Hash ${shown} is not on the gateway's persisted-operation list: send the operation's text in \`query\`.`,
        { 'cache-control': 'private, no-cache, must-revalidate' },
      );
    }
    const { persistedQuery: _listed, ...otherExtensions } = extensions!;
    const { extensions: _extensions, ...rest } = params;
    setParams(req, { ...rest, query: text, ...(Object.keys(otherExtensions).length ? { extensions: otherExtensions } : {}) });
    next();
  };
}
