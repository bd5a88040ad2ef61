import { Directive, Field, Float, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Indicator, Observation, Period } from './observation.type';
import { Qualifier } from './observation.record';
import { LocalityLevel } from '../locality/locality-level';

/** What a derived count is summed from. */
export enum RollupBasis {
  CHILDREN = 'CHILDREN',
  FULL_PREDECESSORS = 'FULL_PREDECESSORS',
}

registerEnumType(RollupBasis, {
  name: 'RollupBasis',
  description: 'What a derived count is summed from.',
  valuesConfig: {
    CHILDREN: {
      description:
        'Reported figures of units below, at any level: each branch contributes its highest reporting unit (a district, else its communes).',
    },
    FULL_PREDECESSORS: { description: 'The reported figures of the pre-reform units that passed wholly into this one.' },
  },
});

@Directive('@shareable')
@ObjectType({ description: 'How one level below a unit (or its predecessors) took part in a derived count.' })
export class RollupLevel {
  @Field(() => LocalityLevel, { description: 'The level.' })
  level!: LocalityLevel;

  @Field(() => Int, { description: 'Units of this level the sum spans (in force on the period date).' })
  of!: number;

  @Field(() => Int, { description: 'Units of this level whose own reported figure is summed (a unit below a reporting one is not summed again).' })
  reported!: number;
}

@Directive('@shareable')
@ObjectType({ description: 'Which units a derived count sums, out of how many it should.' })
export class RollupCoverage {
  @Field(() => RollupBasis, { description: 'CHILDREN or FULL_PREDECESSORS.' })
  basis!: RollupBasis;

  @Field(() => Int, {
    description: 'Direct children (or predecessors) with a figure for the period in the sum: their own, or summed from units below them.',
  })
  contributing!: number;

  @Field(() => Int, { description: 'Direct children in force on the period date (or predecessors) the sum should cover.' })
  of!: number;

  @Field({
    description: 'True when every branch, down to its lowest units, is covered by a reported figure; a sum with gaps is a lower bound (AT_LEAST).',
  })
  complete!: boolean;

  @Field(() => [String], { description: 'Keys of the contributing direct children (or predecessors).' })
  contributors!: string[];

  @Field(() => [String], {
    description: 'Keys of the units whose reported figures are summed, at any level (a reporting unit hides the units below it).',
  })
  reportedBy!: string[];

  @Field(() => [RollupLevel], { description: 'Each level below, top down: how many units it has and how many reported.' })
  levels!: RollupLevel[];
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
