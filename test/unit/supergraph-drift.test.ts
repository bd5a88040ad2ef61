import fs from 'node:fs';
import { DOMAINS } from '../../common/core/domain';
import { fromRoot } from '../../common/platform/paths';
import { composeSupergraph } from '../../common/graph/compose';
import { SUBGRAPHS } from '../../subgraphs';

const FIX = 'The checked-in schema differs from what the code produces: run `npm run compose` and commit schema/.';

describe('checked-in schema files', () => {
  it('match the subgraph code and the offline composition', async () => {
    const composed = await composeSupergraph(SUBGRAPHS);
    const files = { ...composed.subgraphs, supergraph: composed.supergraph } as Record<string, string>;
    const drifted = Object.keys(files).filter((name) => {
      const path = fromRoot('schema', `${name}.graphql`);
      return !fs.existsSync(path) || fs.readFileSync(path, 'utf8') !== files[name];
    });
    if (drifted.length) throw new Error(`${FIX}\nDrifted: ${drifted.map((d) => `schema/${d}.graphql`).join(', ')}`);
    expect(Object.keys(files).sort()).toEqual([...DOMAINS, 'supergraph'].sort());
  });

  it('keep the contract names dashboards and partners rely on', () => {
    const supergraph = fs.readFileSync(fromRoot('schema/supergraph.graphql'), 'utf8');
    for (const fragment of [
      'locality(code: ID!): Locality',
      'localities(',
      'LocalityConnection!',
      'indicators(domain: String): [Indicator!]!',
      'enum LocalityLevel',
      'enum Qualifier',
      'identity: IdentityProfile',
      'finance: FinanceProfile',
      'infrastructure: InfrastructureProfile',
      'observations(indicators: [ID!], latest: Boolean): [Observation!]!',
    ]) {
      expect(supergraph).toContain(fragment);
    }
  });
});
