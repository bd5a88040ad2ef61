import 'reflect-metadata';
import { printSubgraphSchema } from '@apollo/subgraph';
import { buildSchema, type GraphQLObjectType } from 'graphql';
import { deriveRatio, ratioQualifier, type RatioMetric } from '../../common/core/metrics/ratio';
import { Qualifier, type IndicatorRecord } from '../../common/core/observation/observation.record';
import { buildDomainSchema } from '../../common/graph/build-subgraph-schema';
import { readCatalogue } from '../../common/data/seed/catalogue';
import { TRANSACTION_ACCOUNT_HOLDERS_PER_ACTIVATED_EID } from '../../subgraphs/finance/finance.metrics';
import { SMARTPHONE_USERS_PER_ACTIVATED_EID } from '../../subgraphs/infrastructure/infrastructure.metrics';
import { SUBGRAPHS } from '../../subgraphs';

const METRICS: Array<[string, RatioMetric]> = [
  ['finance', TRANSACTION_ACCOUNT_HOLDERS_PER_ACTIVATED_EID],
  ['infrastructure', SMARTPHONE_USERS_PER_ACTIVATED_EID],
];

describe("ratio qualifier: how the inputs' wording bounds the result", () => {
  it.each([
    [Qualifier.EXACT, Qualifier.EXACT, Qualifier.EXACT],
    [Qualifier.AT_MOST, Qualifier.AT_LEAST, Qualifier.AT_MOST], // "nearly 70,300" / "more than 68,000": the ratio is at most 1.0338
    [Qualifier.EXACT, Qualifier.AT_LEAST, Qualifier.AT_MOST],
    [Qualifier.AT_LEAST, Qualifier.AT_MOST, Qualifier.AT_LEAST],
    [Qualifier.AT_LEAST, Qualifier.EXACT, Qualifier.AT_LEAST],
    [Qualifier.AT_LEAST, Qualifier.AT_LEAST, Qualifier.APPROXIMATE], // bounds pulling both ways: no bound
    [Qualifier.AT_MOST, Qualifier.AT_MOST, Qualifier.APPROXIMATE],
    [Qualifier.APPROXIMATE, Qualifier.EXACT, Qualifier.APPROXIMATE],
  ])('%s / %s → %s', (numerator, denominator, expected) => {
    expect(ratioQualifier(numerator, denominator)).toBe(expected);
  });
});

describe('deriveRatio', () => {
  const metric: RatioMetric = { code: 'x.derived.a_per_b', name: 'A per B', numerator: 'x.a', denominator: 'y.b' };
  const indicator = (code: string) => ({ code }) as IndicatorRecord;
  const indicators = { numerator: indicator('x.a'), denominator: indicator('y.b') };
  const q1 = { start: '2025-01-01', end: '2025-03-31', label: 'Q1 2025' };

  it('divides, rounds to 4 decimals and keeps the common period', () => {
    const r = deriveRatio(
      metric,
      indicators,
      { value: 2, qualifier: Qualifier.EXACT, period: q1 },
      { value: 3, qualifier: Qualifier.EXACT, period: { ...q1, label: 'first quarter' } },
    );
    expect(r).toMatchObject({ value: 0.6667, qualifier: 'EXACT', period: q1, periodsDiffer: false, missing: [], reason: null });
  });

  it('says when the periods differ, and has no common period then', () => {
    const r = deriveRatio(
      metric,
      indicators,
      { value: 1, qualifier: Qualifier.EXACT, period: q1 },
      { value: 4, qualifier: Qualifier.EXACT, period: null },
    );
    expect(r).toMatchObject({ value: 0.25, period: null, periodsDiffer: true, reason: null });
    expect(r.inputs.map((i) => i.period)).toEqual([{ ...q1, date: q1.end }, null]);
  });

  it('a missing input or a zero denominator gives null with a reason, not an error', () => {
    expect(deriveRatio(metric, indicators, null, { value: 4, qualifier: Qualifier.EXACT, period: null })).toMatchObject({
      value: null,
      qualifier: null,
      missing: ['x.a'],
      reason: 'no figure for x.a in this locality',
    });
    expect(
      deriveRatio(metric, indicators, { value: 4, qualifier: Qualifier.EXACT, period: null }, { value: 0, qualifier: Qualifier.EXACT, period: null }),
    ).toMatchObject({
      value: null,
      missing: [],
      reason: 'y.b is 0 in this locality',
    });
  });
});

describe('declared metrics', () => {
  const byCode = new Map(readCatalogue().indicators.map((i) => [i.code, i]));

  it.each(METRICS)('%s: inputs are catalogue indicators, the numerator of the own domain', (domain, metric) => {
    expect(byCode.get(metric.numerator)?.domain).toBe(domain);
    expect(byCode.get(metric.denominator)).toBeDefined();
    expect(metric.code.startsWith(`${domain}.derived.`)).toBe(true);
  });

  it("the @external copies of identity's types carry identity's own descriptions (composition would pick the copies' wording)", async () => {
    const sdl = async (domain: keyof typeof SUBGRAPHS) =>
      buildSchema(printSubgraphSchema(await buildDomainSchema(SUBGRAPHS[domain])), { assumeValidSDL: true });
    const identity = await sdl('identity');
    const describe = (schema: typeof identity) => {
      const profile = schema.getType('IdentityProfile') as GraphQLObjectType;
      const locality = schema.getType('Locality') as GraphQLObjectType;
      return [profile.description, profile.getFields().activatedEidAccounts.description, locality.getFields().identity.description];
    };
    for (const domain of ['finance', 'infrastructure'] as const) expect(describe(await sdl(domain))).toEqual(describe(identity));
  });
});
