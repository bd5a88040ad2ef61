import type { RequestHandler } from 'express';
import type { KeyRing } from '../../common/platform/security/api-keys';
import { sendGraphQLError } from '../../common/platform/server/error-response';
import { requestState } from './request-state';

/** The key of `Authorization: Bearer <key>`, or undefined. */
function bearer(header: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return match?.[1];
}

/** The Apollo landing page (a browser GET of /graphql without a query) carries no data; the explorer then sends its own key. */
const isLandingPage = (method: string, accept: string | undefined, query: unknown) =>
  method === 'GET' && /text\/html/.test(accept ?? '') && !(query && typeof query === 'object' && 'query' in query);

/** 401 with a GraphQL-shaped error for no key or an unknown key; otherwise records the caller. The key itself is never kept or logged. */
export function authenticate(keys: KeyRing): RequestHandler {
  return (req, res, next) => {
    const state = requestState(res);
    const key = bearer(req.headers.authorization);
    const caller = key === undefined ? undefined : keys.authenticate(key);
    if (!caller) {
      if (isLandingPage(req.method, req.headers.accept, req.query)) return next();
      state.errorCodes.add('UNAUTHENTICATED');
      const message = key === undefined ? 'An API key is required: send `Authorization: Bearer <key>`.' : 'Unknown API key.';
      return sendGraphQLError(res, 401, 'UNAUTHENTICATED', message, { 'www-authenticate': 'Bearer realm="atlas"' });
    }
    state.caller = caller;
    next();
  };
}
