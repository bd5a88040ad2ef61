import type { RequestHandler, Response } from 'express';
import type { KeyRing } from '../../common/platform/security/api-keys';
import { requestState } from './request-state';

const ALLOWED_HEADERS = 'authorization, content-type, x-request-id, apollo-require-preflight';

function allowOrigin(res: Response, origin: string): void {
  res.setHeader('access-control-allow-origin', origin);
  res.setHeader('access-control-allow-credentials', 'true');
  res.setHeader('access-control-expose-headers', 'x-request-id, retry-after');
}

/**
 * CORS from two allow-lists: CORS_ORIGINS for every key, and a key file entry's `origins` for that key only.
 * An origin on CORS_ORIGINS gets itself (never `*`) and credentials back on every response. Preflights carry no key,
 * so they are answered here for an origin on either list; the actual response to an origin only a key lists gets
 * its CORS headers from `keyCors`, once that key is known, so another key's origin never has credentials reflected.
 * Any other origin gets no CORS header at all.
 */
export function cors(origins: readonly string[], keys?: KeyRing): RequestHandler {
  const allowed = new Set(origins);
  const perKey = keys?.origins ?? new Set<string>();
  return (req, res, next) => {
    const origin = req.headers.origin;
    res.vary('Origin');
    const listed = typeof origin === 'string' && allowed.has(origin);
    if (listed) allowOrigin(res, origin);
    if (req.method === 'OPTIONS' && req.headers['access-control-request-method']) {
      if (typeof origin === 'string' && (listed || perKey.has(origin))) {
        if (!listed) allowOrigin(res, origin);
        res.setHeader('access-control-allow-methods', 'GET, POST, OPTIONS');
        res.setHeader('access-control-allow-headers', ALLOWED_HEADERS);
        res.setHeader('access-control-max-age', '600');
      }
      res.status(204).end();
      return;
    }
    next();
  };
}

/** After authentication: an origin the caller's key lists (`origins` in the key file) gets itself and credentials back. */
export function keyCors(): RequestHandler {
  return (req, res, next) => {
    const origin = req.headers.origin;
    const caller = requestState(res).caller;
    if (typeof origin === 'string' && caller?.origins?.includes(origin) && !res.getHeader('access-control-allow-origin')) allowOrigin(res, origin);
    next();
  };
}
