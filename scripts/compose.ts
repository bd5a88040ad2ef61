import 'reflect-metadata';
import fs from 'node:fs';
import path from 'node:path';
import { fromRoot } from '../common/platform/paths';
import { composeSupergraph } from '../common/graph/compose';
import { SUBGRAPHS } from '../subgraphs';

/** `npm run compose`: writes schema/<domain>.graphql and schema/supergraph.graphql. */
async function main(): Promise<void> {
  const composition = await composeSupergraph(SUBGRAPHS);
  const dir = fromRoot('schema');
  fs.mkdirSync(dir, { recursive: true });
  const names = Object.keys(composition.subgraphs) as Array<keyof typeof composition.subgraphs>;
  for (const name of names) fs.writeFileSync(path.join(dir, `${name}.graphql`), composition.subgraphs[name]);
  fs.writeFileSync(path.join(dir, 'supergraph.graphql'), composition.supergraph);
  console.log(`wrote ${names.map((d) => `schema/${d}.graphql`).join(', ')} and schema/supergraph.graphql`);
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
