import { Directive, Field, Float, ID, ObjectType, registerEnumType } from 'type-graphql';
import { Indicator, Observation, Period } from '../observation/observation.type';
import { Qualifier } from '../observation/observation.record';
import { MetricInputRole } from './ratio';

registerEnumType(MetricInputRole, {
  name: 'MetricInputRole',
  description: 'What an input does in a derived metric.',
  valuesConfig: {
    NUMERATOR: { description: 'The figure divided.' },
    DENOMINATOR: { description: 'The figure divided by.' },
  },
});

@Directive('@shareable')
@ObjectType({ description: 'One input of a derived metric: its indicator and the figure used (null when the locality has none).' })
export class MetricInput {
  @Field(() => MetricInputRole, { description: 'NUMERATOR or DENOMINATOR.' })
  role!: MetricInputRole;

  @Field(() => Indicator, { description: 'What the input measures (its domain says which subgraph it comes from).' })
  indicator!: Indicator;

  @Field(() => Float, { nullable: true, description: 'The latest figure of the indicator for the locality; null when there is none.' })
  value!: number | null;

  @Field(() => Qualifier, { nullable: true, description: 'How the source worded the input figure.' })
  qualifier!: Qualifier | null;

  @Field(() => Period, { nullable: true, description: 'When the input figure holds; null when the source gives no date.' })
  period!: Period | null;
}

@Directive('@shareable')
@ObjectType({
  description:
    'A figure computed from published ones, never published itself. When an input is missing, `value` is null and `reason` says why (not an error).',
})
export class DerivedMetric {
  @Field(() => ID, { description: 'e.g. finance.derived.transaction_account_holders_14plus_per_activated_eid' })
  code!: string;

  @Field({ description: 'Short name.' })
  name!: string;

  @Field({ description: 'How the value is computed, by indicator code.' })
  formula!: string;

  @Field(() => Float, { nullable: true, description: 'The result; null when an input is missing or the denominator is 0 (see `reason`).' })
  value!: number | null;

  @Field(() => Qualifier, {
    nullable: true,
    description:
      'Bound of the result from the inputs\' wording: "more than" over "nearly" gives AT_LEAST; bounds pulling both ways give APPROXIMATE.',
  })
  qualifier!: Qualifier | null;

  @Field(() => Period, { nullable: true, description: "The inputs' common period; null when they differ (see `periodsDiffer`) or give no date." })
  period!: Period | null;

  @Field({ description: "True when the inputs' periods (start and end dates) are not the same: the value mixes dates." })
  periodsDiffer!: boolean;

  @Field(() => [MetricInput], { description: 'The inputs, numerator first, with the figures and periods used.' })
  inputs!: MetricInput[];

  @Field(() => [ID], { description: 'Indicator codes of the inputs the locality has no figure for.' })
  missing!: string[];

  @Field(() => String, { nullable: true, description: 'Why `value` is null; null when it is not.' })
  reason!: string | null;
}

/**
 * Identity's profile as seen from a subgraph that `@requires` identity figures: only the fields it requires,
 * all `@external` (identity resolves them; the gateway sends them along in the entity representation).
 */
// Descriptions are identity's own, word for word: composition would otherwise pick the two copies' wording over identity's (a test compares them).
@ObjectType('IdentityProfile', {
  description:
    'Digital identity in a locality: eID/VNeID accounts, chip ID cards, ID records, digital signatures, population-database authentication.',
})
export class RequiredIdentityProfile {
  @Directive('@external')
  @Field(() => Observation, {
    nullable: true,
    description:
      'Activated electronic identification (VNeID) accounts. Always indicator identity.eid.activated_accounts, latest figure for the whole locality; other bases are in observations(indicators: ...).',
  })
  activatedEidAccounts!: Observation | null;
}

/** The @requires selection of metrics that divide by identity's activated eID accounts. */
export const REQUIRES_ACTIVATED_EID = 'identity { activatedEidAccounts { value qualifier period { start end label } } }';
