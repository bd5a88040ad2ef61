import fs from 'node:fs';
import { fromRoot } from '../../common/platform/paths';
import { droppedFieldErrors, forSibling, SubgraphSchemas } from '../../gateway/shared-root-failover';

/** The rewrite of a root fetch for a sibling subgraph, on the checked-in supergraph. */
describe('a root fetch rewritten for a sibling', () => {
  const identity = new SubgraphSchemas(fs.readFileSync(fromRoot('schema/supergraph.graphql'), 'utf8')).get('identity')!;

  it('drops the dead domain’s fields, the selections they leave empty and the variables only they used', () => {
    const fetch = forSibling(
      'query Q($code: ID!, $ind: [ID!]) { locality(code: $code) { name finance { observations(indicators: $ind) { value } } __typename code } }',
      identity,
    );
    expect(fetch?.query.replace(/\s+/g, ' ')).toBe('query Q($code: ID!) { locality(code: $code) { name __typename code } }');
    expect(fetch?.dropped).toEqual([{ parentPath: ['locality'], key: 'finance', coordinate: 'Locality.finance' }]);
  });

  it('leaves a fetch of shared fields alone, and refuses one with nothing left to ask', () => {
    expect(forSibling('{ indicators { code } }', identity)).toEqual({ query: '{ indicators { code } }', dropped: [] });
    expect(forSibling('{ rankLocalities(by: "x", level: PROVINCE) { totalCount } }', identity)).toBeUndefined();
    expect(forSibling('{ not valid', identity)).toBeUndefined();
  });

  it('names every place a dropped field would have been, through lists', () => {
    const data = { localities: { nodes: [{ code: '14' }, { code: '116' }] } };
    const errors = droppedFieldErrors(data, [{ parentPath: ['localities', 'nodes'], key: 'money', coordinate: 'Locality.finance' }], 'finance');
    expect(errors.map((e) => e.path)).toEqual([
      ['localities', 'nodes', 0, 'money'],
      ['localities', 'nodes', 1, 'money'],
    ]);
    expect(errors[0]).toMatchObject({
      message: 'The finance subgraph is unavailable: Locality.finance is null.',
      extensions: { code: 'SUBGRAPH_UNAVAILABLE' },
    });
  });
});
