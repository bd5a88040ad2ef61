import fs from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';
import { exampleQueries } from './web-examples';

// Run from dist/scripts; not through common/platform/paths, whose root needs seeds/ (absent from the image's build stage).
const ROOT = path.resolve(__dirname, '..', '..');
const fromRoot = (...parts: string[]) => path.join(ROOT, ...parts);

/** Bundles web/ (dashboard and explorer) into dist/web with esbuild: no CDN, every script and style served by the gateway. */
async function main(): Promise<void> {
  const started = Date.now();
  const out = fromRoot('dist/web');
  fs.rmSync(out, { recursive: true, force: true });
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
    define: { 'process.env.NODE_ENV': '"production"' },
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
