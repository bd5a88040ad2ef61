import type { RequestHandler } from 'express';

const ALLOWED_HEADERS = 'authorization, content-type, x-request-id, apollo-require-preflight';

/**
 * CORS from an allow-list (CORS_ORIGINS): an origin on the list gets itself (never `*`) and credentials back,
 * preflights are answered here, before any key is asked for; any other origin gets no CORS header at all.
 */
export function cors(origins: readonly string[]): RequestHandler {
  const allowed = new Set(origins);
  return (req, res, next) => {
    const origin = req.headers.origin;
    res.vary('Origin');
    const listed = typeof origin === 'string' && allowed.has(origin);
    if (listed) {
      res.setHeader('access-control-allow-origin', origin);
      res.setHeader('access-control-allow-credentials', 'true');
      res.setHeader('access-control-expose-headers', 'x-request-id, retry-after');
    }
    if (req.method === 'OPTIONS' && req.headers['access-control-request-method']) {
      if (listed) {
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
