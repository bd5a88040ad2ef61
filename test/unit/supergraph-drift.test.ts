import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { Supergraph } from '@apollo/federation-internals';
import { isEnumType, type GraphQLObjectType } from 'graphql';
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
    expect(Object.keys(files).sort()).toEqual([...DOMAINS, 'admin', 'supergraph'].sort());
  });

  it('are what each subgraph serves when built alone in its own process (no type leaks between builds)', async () => {
    const composed = await composeSupergraph(SUBGRAPHS);
    for (const domain of DOMAINS) {
      // dist/ is what `npm start` runs; `npm test` builds it first.
      const script = `require('reflect-metadata');
        const { printSubgraphSchema } = require('@apollo/subgraph');
        const { buildDomainSchema } = require('./dist/common/graph/build-subgraph-schema');
        const { ${domain}Subgraph } = require('./dist/subgraphs/${domain}/${domain}.subgraph');
        buildDomainSchema(${domain}Subgraph).then((s) => process.stdout.write(printSubgraphSchema(s)));`;
      const alone = execFileSync(process.execPath, ['-e', script], { cwd: fromRoot(), encoding: 'utf8' });
      expect(composed.subgraphs[domain]).toContain(alone.trimEnd());
    }
  });

  it('keep the contract names dashboards and partners rely on', () => {
    const schema = Supergraph.build(fs.readFileSync(fromRoot('schema/supergraph.graphql'), 'utf8'))
      .apiSchema()
      .toGraphQLJSSchema();
    const signature = (typeName: string, fieldName: string) => {
      const field = (schema.getType(typeName) as GraphQLObjectType).getFields()[fieldName];
      const args = field.args.map((a) => `${a.name}: ${String(a.type)}`).sort();
      return `${fieldName}(${args.join(', ')}): ${String(field.type)}`;
    };
    // Issue 10 added the optional `asOf` to both: every existing call keeps its meaning.
    expect(signature('Query', 'locality')).toBe('locality(asOf: Date, code: ID!): Locality');
    expect(signature('Query', 'localities')).toBe(
      'localities(after: String, asOf: Date, first: Int, level: LocalityLevel, parentCode: ID, search: String): LocalityConnection!',
    );
    expect(signature('Query', 'indicators')).toBe('indicators(domain: Domain): [Indicator!]!');
    expect(signature('Locality', 'identity')).toBe('identity(): IdentityProfile');
    expect(signature('Locality', 'finance')).toBe('finance(): FinanceProfile');
    expect(signature('Locality', 'infrastructure')).toBe('infrastructure(): InfrastructureProfile');
    for (const profile of ['IdentityProfile', 'FinanceProfile', 'InfrastructureProfile']) {
      expect(signature(profile, 'observations')).toBe(
        'observations(from: Date, indicators: [ID!], latest: Boolean, order: PeriodOrder, to: Date): [Observation!]!',
      );
    }
    for (const name of ['LocalityLevel', 'Qualifier', 'Domain', 'Unit']) expect(isEnumType(schema.getType(name))).toBe(true);
  });
});
