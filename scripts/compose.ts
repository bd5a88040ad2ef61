import 'reflect-metadata';
import fs from 'node:fs';
import path from 'node:path';
import { DOMAINS } from '../common/core/domain';
import { fromRoot } from '../common/platform/paths';
import { composeSupergraph } from '../common/graph/compose';
import { SUBGRAPHS } from '../subgraphs';

/** `npm run compose`: writes schema/<domain>.graphql and schema/supergraph.graphql. */
async function main(): Promise<void> {
  const composition = await composeSupergraph(SUBGRAPHS);
  const dir = fromRoot('schema');
  fs.mkdirSync(dir, { recursive: true });
  for (const domain of DOMAINS) fs.writeFileSync(path.join(dir, `${domain}.graphql`), composition.subgraphs[domain]);
  fs.writeFileSync(path.join(dir, 'supergraph.graphql'), composition.supergraph);
  console.log(`wrote ${DOMAINS.map((d) => `schema/${d}.graphql`).join(', ')} and schema/supergraph.graphql`);
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
