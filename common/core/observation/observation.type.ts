import { Directive, Field, Float, ID, ObjectType, registerEnumType } from 'type-graphql';
import { Qualifier } from './observation.record';

registerEnumType(Qualifier, {
  name: 'Qualifier',
  description:
    'How the source worded the figure: EXACT as stated; APPROXIMATE "about", "estimated"; AT_LEAST "more than", "over"; AT_MOST "nearly", "almost".',
});

@Directive('@shareable')
@ObjectType({ description: 'What is measured: one entry of the indicator catalogue.' })
export class Indicator {
  @Field(() => ID, { description: 'e.g. identity.eid.activated_accounts' })
  code!: string;

  @Field()
  name!: string;

  @Field({ description: 'COUNT, PERCENT (77 means 77 %) or VND.' })
  unit!: string;

  @Field({ description: 'identity, finance or infrastructure.' })
  domain!: string;

  @Field(() => String, { nullable: true })
  description!: string | null;

  @Field(() => String, { nullable: true, description: 'For rates: what the rate is out of, e.g. "citizens aged 15 and over".' })
  denominator!: string | null;

  @Field(() => String, { nullable: true, description: 'The typed profile field this indicator feeds, if any.' })
  headline!: string | null;
}

@Directive('@shareable')
@ObjectType({ description: 'When a figure holds: a span, or an as-of date in `end` alone. ISO dates.' })
export class Period {
  @Field(() => String, { nullable: true })
  start!: string | null;

  @Field(() => String, { nullable: true })
  end!: string | null;

  @Field(() => String, { nullable: true, description: 'The wording, e.g. "as of end of March 2025".' })
  label!: string | null;
}

@Directive('@shareable')
@ObjectType({ description: 'Where a figure was published.' })
export class Source {
  @Field()
  title!: string;

  @Field(() => String, { nullable: true })
  publisher!: string | null;

  @Field(() => String, { nullable: true })
  url!: string | null;

  @Field(() => String, { nullable: true, description: 'ISO date, when known.' })
  publishedAt!: string | null;

  @Field(() => String, { nullable: true, description: 'File name of the source document in the seed corpus.' })
  document!: string | null;
}

@Directive('@shareable')
@ObjectType({ description: 'One published figure for one locality and indicator, with its wording, parts, period and source.' })
export class Observation {
  @Field(() => ID, { description: 'Stable within its domain: "<domain>:<number>".' })
  id!: string;

  @Field(() => ID)
  localityCode!: string;

  @Field(() => Indicator)
  indicator!: Indicator;

  @Field(() => Float)
  value!: number;

  @Field(() => Float, { nullable: true, description: 'For rates: the counted part, when published.' })
  numerator!: number | null;

  @Field(() => Float, { nullable: true, description: 'For rates: the whole, when published.' })
  denominator!: number | null;

  @Field(() => Qualifier)
  qualifier!: Qualifier;

  @Field(() => Period, { nullable: true, description: 'Null when the source gives no date.' })
  period!: Period | null;

  @Field(() => Source)
  source!: Source;

  @Field(() => String, { nullable: true })
  notes!: string | null;

  @Field(() => String, { nullable: true, description: 'The sentence of the source that states the figure.' })
  quote!: string | null;
}
