import { Directive, Field, Float, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Indicator, Observation, Period } from './observation.type';
import { Qualifier } from './observation.record';

/** What a derived count is summed from. */
export enum RollupBasis {
  CHILDREN = 'CHILDREN',
  FULL_PREDECESSORS = 'FULL_PREDECESSORS',
}

registerEnumType(RollupBasis, {
  name: 'RollupBasis',
  description: 'What a derived count is summed from.',
  valuesConfig: {
    CHILDREN: { description: "The direct children's reported figures (districts of a province, provinces of the country, ...)." },
    FULL_PREDECESSORS: { description: 'The reported figures of the pre-reform units that passed wholly into this one.' },
  },
});

@Directive('@shareable')
@ObjectType({ description: 'Which units a derived count sums, out of how many it should.' })
export class RollupCoverage {
  @Field(() => RollupBasis, { description: 'CHILDREN or FULL_PREDECESSORS.' })
  basis!: RollupBasis;

  @Field(() => Int, { description: 'Units whose figure for the period went into the sum.' })
  contributing!: number;

  @Field(() => Int, { description: 'Units the sum should cover.' })
  of!: number;

  @Field({ description: 'True when every unit contributed; a sum with missing units is a lower bound (AT_LEAST).' })
  complete!: boolean;

  @Field(() => [String], { description: 'Keys of the contributing units.' })
  contributors!: string[];
}

@Directive('@shareable')
@ObjectType({ description: 'A count for a locality: its reported figure, or (derived: true) a sum over other units, never both mixed.' })
export class Rollup {
  @Field(() => Indicator, { description: 'The count (COUNT indicators only: rates are never summed).' })
  indicator!: Indicator;

  @Field({ description: 'False: the figure was reported for this locality (see `reported`). True: summed, see `coverage`.' })
  derived!: boolean;

  @Field(() => Float, { nullable: true, description: 'The figure; null when nothing can be said.' })
  value!: number | null;

  @Field(() => Qualifier, { nullable: true, description: 'EXACT only for a complete sum of exact figures; AT_LEAST for a sum with gaps.' })
  qualifier!: Qualifier | null;

  @Field(() => Period, { nullable: true, description: 'The one period every contributing figure covers.' })
  period!: Period | null;

  @Field(() => Observation, { nullable: true, description: 'The reported figure itself, when not derived.' })
  reported!: Observation | null;

  @Field(() => RollupCoverage, { nullable: true, description: 'For a derived figure: what was summed.' })
  coverage!: RollupCoverage | null;
}
