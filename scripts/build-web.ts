import fs from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';
import { buildManifest } from '../gateway/persisted-operations-manifest';
import { exampleQueries } from './web-examples';

// Run from dist/scripts; not through common/platform/paths, whose root needs seeds/ (absent from the image's build stage).
const ROOT = path.resolve(__dirname, '..', '..');
const fromRoot = (...parts: string[]) => path.join(ROOT, ...parts);

/** Bundles web/ (dashboard and explorer) into dist/web with esbuild: no CDN, every script and style served by the gateway. */
async function main(): Promise<void> {
  const started = Date.now();
  const out = fromRoot('dist/web');
  fs.rmSync(out, { recursive: true, force: true });
  fs.mkdirSync(out, { recursive: true });
  // The dashboard's operations, listed by id for the gateway; the bundle carries the ids, not the texts.
  const manifest = buildManifest(fs.readFileSync(fromRoot('web/dashboard/operations.graphql'), 'utf8'));
  fs.writeFileSync(path.join(out, 'persisted-operations.json'), JSON.stringify(manifest, null, 2) + '\n');
  const ids = Object.fromEntries(manifest.operations.map((o) => [o.name, o.id]));
  await build({
    entryPoints: { app: fromRoot('web/dashboard/main.ts'), 'explorer/explorer': fromRoot('web/explorer/main.tsx') },
    outdir: out,
    bundle: true,
    minify: true,
    sourcemap: true,
    format: 'esm',
    target: ['es2022'],
    jsx: 'automatic',
    loader: { '.json': 'json' },
    define: { 'process.env.NODE_ENV': '"production"', __PERSISTED_OPERATIONS__: JSON.stringify(ids) },
    logLevel: 'warning',
    legalComments: 'linked',
  });
  fs.copyFileSync(fromRoot('web/dashboard/index.html'), path.join(out, 'index.html'));
  fs.copyFileSync(fromRoot('web/explorer/index.html'), path.join(out, 'explorer/index.html'));
  fs.writeFileSync(
    path.join(out, 'explorer/examples.json'),
    JSON.stringify(exampleQueries(fromRoot('docs/queries.md'), fromRoot('test/queries')), null, 2),
  );
  console.log(`web: dist/web built in ${Date.now() - started} ms`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
