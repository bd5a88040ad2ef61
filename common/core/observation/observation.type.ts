import { DateResolver, URLResolver } from 'graphql-scalars';
import { Directive, Field, Float, ID, ObjectType, registerEnumType } from 'type-graphql';
import { Domain } from '../domain';
import { Qualifier, Unit } from './observation.record';

registerEnumType(Qualifier, {
  name: 'Qualifier',
  description: 'How the source worded the figure.',
  valuesConfig: {
    EXACT: { description: 'As stated, without a hedge.' },
    APPROXIMATE: { description: '"about", "around", "estimated" (khoảng, ước).' },
    AT_LEAST: { description: '"more than", "over" (hơn, trên): the true figure is at least the value.' },
    AT_MOST: { description: '"nearly", "almost" (gần, gần như): the true figure is at most the value.' },
  },
});

/** Order of an indicator's history. */
export enum PeriodOrder {
  NEWEST_FIRST = 'NEWEST_FIRST',
  OLDEST_FIRST = 'OLDEST_FIRST',
}

registerEnumType(PeriodOrder, {
  name: 'PeriodOrder',
  description: "Order of each indicator's figures by period (Period.date); undated figures come last either way.",
  valuesConfig: {
    NEWEST_FIRST: { description: 'Most recent first (the default).' },
    OLDEST_FIRST: { description: 'Oldest first: a time series.' },
  },
});

registerEnumType(Domain, {
  name: 'Domain',
  description: 'The three domains of the atlas; each is served by its own subgraph.',
  valuesConfig: {
    identity: { description: 'eID / VNeID accounts, chip ID cards, ID records, digital signatures, population-database authentication.' },
    finance: { description: 'Bank and transaction accounts, cashless payments, e-wallets, benefits and pensions through accounts.' },
    infrastructure: { description: 'Base stations, mobile coverage, broadband, fibre, smartphones, internet users, digital teams.' },
  },
});

registerEnumType(Unit, {
  name: 'Unit',
  description: 'What a value counts.',
  valuesConfig: {
    COUNT: { description: 'A number of things (accounts, stations, people).' },
    PERCENT: { description: 'A percentage: 77 means 77 %.' },
    VND: { description: 'Vietnamese đồng.' },
  },
});

@Directive('@shareable')
@ObjectType({ description: 'What is measured: one entry of the indicator catalogue.' })
export class Indicator {
  @Field(() => ID, { description: 'e.g. identity.eid.activated_accounts' })
  code!: string;

  @Field({ description: 'Short name, e.g. "eID activation rate (eligible citizens)".' })
  name!: string;

  @Field(() => Unit, { description: 'COUNT, PERCENT (77 means 77 %) or VND.' })
  unit!: Unit;

  @Field(() => Domain, { description: 'The domain (and subgraph) whose profiles serve this indicator.' })
  domain!: Domain;

  @Field(() => String, { nullable: true, description: 'What exactly is measured.' })
  description!: string | null;

  @Field(() => String, { nullable: true, description: 'For rates: what the rate is out of, e.g. "citizens aged 15 and over".' })
  denominator!: string | null;

  @Field(() => String, { nullable: true, description: 'The typed profile field this indicator feeds, if any.' })
  headline!: string | null;
}

@Directive('@shareable')
@ObjectType({ description: 'When a figure holds: a span, or an as-of date in `end` alone. ISO dates.' })
export class Period {
  @Field(() => DateResolver, { nullable: true, description: 'First day the figure covers (ISO date), when it covers a span.' })
  start!: string | null;

  @Field(() => DateResolver, { nullable: true, description: 'Last day the figure covers, or the as-of date (ISO date).' })
  end!: string | null;

  @Field(() => DateResolver, { nullable: true, description: 'The date to compare and sort figures by: end, else start (ISO dates sort as text).' })
  date!: string | null;

  @Field(() => String, { nullable: true, description: 'The wording, e.g. "as of end of March 2025".' })
  label!: string | null;
}

@Directive('@shareable')
@ObjectType({ description: 'Where a figure was published.' })
export class Source {
  @Field({ description: 'Title of the article or report (see titleSupplied).' })
  title!: string;

  @Field({ description: 'True when the document gives no title and this one was written by the atlas, not by the source.' })
  titleSupplied!: boolean;

  @Field(() => String, { nullable: true, description: 'Who published it, e.g. a provincial newspaper.' })
  publisher!: string | null;

  @Field(() => URLResolver, { nullable: true, description: 'Where it can be read.' })
  url!: string | null;

  @Field(() => DateResolver, { nullable: true, description: 'Publication date (ISO date), when known.' })
  publishedAt!: string | null;

  @Field(() => String, { nullable: true, description: 'File name of the source document in the seed corpus.' })
  document!: string | null;
}

@Directive('@shareable')
@ObjectType({ description: 'One published figure for one locality and indicator, with its wording, parts, period and source.' })
export class Observation {
  @Field(() => ID, { description: 'Stable within its domain: "<domain>:<number>".' })
  id!: string;

  @Field(() => ID, { description: 'The locality the figure is about.' })
  localityCode!: string;

  @Field(() => Indicator, { description: 'What the figure measures.' })
  indicator!: Indicator;

  @Field(() => Float, { description: "The figure, in the indicator's unit." })
  value!: number;

  @Field(() => Float, { nullable: true, description: 'For rates: the counted part, when published.' })
  numerator!: number | null;

  @Field(() => Float, { nullable: true, description: 'For rates: the whole, when published.' })
  denominator!: number | null;

  @Field(() => Qualifier, { description: 'How the source worded the figure ("more than", "nearly", "about", or exact).' })
  qualifier!: Qualifier;

  @Field(() => Qualifier, {
    nullable: true,
    description: 'How the source worded the numerator ("more than 762,000 of ..."); null without a numerator.',
  })
  numeratorQualifier!: Qualifier | null;

  @Field(() => Qualifier, { nullable: true, description: 'How the source worded the denominator; null without a denominator.' })
  denominatorQualifier!: Qualifier | null;

  @Field(() => String, {
    nullable: true,
    description:
      'The part of the locality the figure covers when it is not the whole unit (e.g. "khu phố 4" of a ward); null for the whole unit. Such a figure is never served as the unit\'s headline value.',
  })
  partOfUnit!: string | null;

  @Field({ description: 'True when the figure covers the whole locality (partOfUnit is null).' })
  coversWholeUnit!: boolean;

  @Field(() => Period, { nullable: true, description: 'Null when the source gives no date.' })
  period!: Period | null;

  @Field(() => Source, { description: 'Where the figure was published.' })
  source!: Source;

  @Field(() => String, { nullable: true, description: 'Our remarks on how the figure was read from its source.' })
  notes!: string | null;

  @Field(() => String, { nullable: true, description: 'The sentence of the source that states the figure.' })
  quote!: string | null;
}
