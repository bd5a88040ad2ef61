import fs from 'node:fs';
import path from 'node:path';
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import type { Config } from '../common/platform/config';
import { fromRoot } from '../common/platform/paths';

export interface WebOptions {
  env: Config['env'];
  /** The local partner-key file whose key the explorer and dashboard send (absent until partner keys land). */
  keyFile?: string;
  /** The bundles written by `npm run build` (scripts/build-web.ts). */
  webDir?: string;
}

/**
 * The headers the explorer prefills (and the dashboard sends) in development: `Authorization: Bearer <key>` for the
 * first key stored in clear in the key file (`[{ key, name, scopes }]`), preferring one with every scope; none otherwise.
 */
export function prefillHeaders(keyFile: string | undefined): Record<string, string> {
  if (!keyFile || !fs.existsSync(keyFile)) return {};
  try {
    const entries = JSON.parse(fs.readFileSync(keyFile, 'utf8')) as unknown;
    if (!Array.isArray(entries)) return {};
    const keys = entries.filter((e): e is { key: string; scopes?: unknown } => typeof (e as { key?: unknown })?.key === 'string');
    // A key stored as its SHA-256 hash cannot be sent: only clear keys count.
    const clear = keys.filter((e) => !/^(sha256:)?[0-9a-f]{64}$/i.test(e.key));
    const best = clear.find(
      (e) => Array.isArray(e.scopes) && ['identity', 'finance', 'infrastructure'].every((s) => (e.scopes as unknown[]).includes(s)),
    );
    const key = (best ?? clear[0])?.key;
    return key ? { Authorization: `Bearer ${key}` } : {};
  } catch {
    return {};
  }
}

// Everything is served from here: no script, style or font may come from elsewhere (the explorer needs inline styles).
const CSP =
  "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'none'";

function wantsHtml(req: Request): boolean {
  return req.method === 'GET' && !req.query.query && !req.query.extensions && req.accepts(['application/json', 'text/html']) === 'text/html';
}

/** The dashboard at `/`, the explorer at `/explorer` (development only) and the browser redirect from `GET /graphql`. Mount before /graphql. */
export function mountWeb(app: Express, options: WebOptions): void {
  const dir = options.webDir ?? fromRoot('dist/web');
  const explorer = options.env !== 'production';
  // A browser opening /graphql gets the offline explorer (or the dashboard in production), never Apollo's CDN page.
  app.get('/graphql', (req: Request, res: Response, next: NextFunction) =>
    wantsHtml(req) ? res.redirect(302, explorer ? '/explorer/' : '/') : next(),
  );
  app.get('/web-config.json', (_req, res) => {
    res.json({ explorer, headers: explorer ? prefillHeaders(options.keyFile) : {} });
  });
  const statics = express.static(dir, { index: 'index.html', fallthrough: true, setHeaders: (res) => res.setHeader('Content-Security-Policy', CSP) });
  app.use('/explorer', (req, res, next) => (explorer ? next() : res.status(404).type('text/plain').send('The explorer is off in production.\n')));
  app.get('/', (_req, res, next) =>
    fs.existsSync(path.join(dir, 'index.html'))
      ? next()
      : res.status(503).type('text/plain').send('The web client is not built: run `npm run build`.\n'),
  );
  app.use(statics);
}
