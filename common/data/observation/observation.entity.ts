import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { IndicatorEntity } from './indicator.entity';
import { SourceEntity } from './source.entity';
import { LocalityEntity } from '../locality/locality.entity';

const QUALIFIERS = `('EXACT', 'APPROXIMATE', 'AT_LEAST', 'AT_MOST')`;

/**
 * One published figure. Natural key: (locality, indicator, period, source, part of the unit), so re-imports
 * update in place. Names of keys, indexes and checks are those of migrations 0001, 0002 and 0006.
 */
@Entity({ name: 'observation' })
@Check('observation_qualifier_check', `qualifier IN ('EXACT', 'APPROXIMATE', 'AT_LEAST', 'AT_MOST')`)
@Check('observation_period_check', 'period_start IS NULL OR period_end IS NULL OR period_start <= period_end')
@Check('observation_parts_check', 'numerator IS NULL OR denominator IS NULL OR numerator <= denominator')
@Check('observation_numerator_qualifier_check', `numerator_qualifier IS NULL OR (numerator_qualifier IN ${QUALIFIERS} AND numerator IS NOT NULL)`)
@Check(
  'observation_denominator_qualifier_check',
  `denominator_qualifier IS NULL OR (denominator_qualifier IN ${QUALIFIERS} AND denominator IS NOT NULL)`,
)
@Check('observation_part_of_unit_check', `part_of_unit <> ''`)
// NULLS NOT DISTINCT (migrations 0001, 0002): TypeORM 1.1 cannot say it, and compares uniques by name and columns only.
@Unique('observation_natural_key', ['localityCode', 'indicatorCode', 'periodStart', 'periodEnd', 'sourceId', 'partOfUnit'])
@Index('observation_locality_indicator_idx', ['localityCode', 'indicatorCode'])
@Index('observation_indicator_idx', ['indicatorCode'])
@Index('observation_source_id_idx', ['sourceId'])
export class ObservationEntity {
  @PrimaryGeneratedColumn({ type: 'bigint', primaryKeyConstraintName: 'observation_pkey' })
  id!: string;

  @Column({ name: 'locality_code', type: 'text' })
  localityCode!: string;

  @ManyToOne(() => LocalityEntity, { onDelete: 'RESTRICT', nullable: false })
  @JoinColumn({ name: 'locality_code', foreignKeyConstraintName: 'observation_locality_code_fkey' })
  locality?: LocalityEntity;

  @Column({ name: 'indicator_code', type: 'text' })
  indicatorCode!: string;

  @ManyToOne(() => IndicatorEntity, { onDelete: 'RESTRICT', nullable: false })
  @JoinColumn({ name: 'indicator_code', foreignKeyConstraintName: 'observation_indicator_code_fkey' })
  indicator?: IndicatorEntity;

  @Column({ type: 'numeric' })
  value!: string;

  @Column({ type: 'numeric', nullable: true })
  numerator!: string | null;

  @Column({ type: 'numeric', nullable: true })
  denominator!: string | null;

  @Column({ type: 'text' })
  qualifier!: string;

  @Column({ name: 'numerator_qualifier', type: 'text', nullable: true })
  numeratorQualifier!: string | null;

  @Column({ name: 'denominator_qualifier', type: 'text', nullable: true })
  denominatorQualifier!: string | null;

  /** The part of the unit the figure covers, when not the whole unit (e.g. one neighbourhood of a ward). */
  @Column({ name: 'part_of_unit', type: 'text', nullable: true })
  partOfUnit!: string | null;

  @Column({ name: 'period_start', type: 'date', nullable: true })
  periodStart!: string | null;

  @Column({ name: 'period_end', type: 'date', nullable: true })
  periodEnd!: string | null;

  @Column({ name: 'period_label', type: 'text', nullable: true })
  periodLabel!: string | null;

  @Column({ name: 'source_id', type: 'integer' })
  sourceId!: number;

  @ManyToOne(() => SourceEntity, { onDelete: 'RESTRICT', nullable: false })
  @JoinColumn({ name: 'source_id', foreignKeyConstraintName: 'observation_source_id_fkey' })
  source?: SourceEntity;

  @Column({ type: 'text', nullable: true })
  notes!: string | null;

  @Column({ type: 'text', nullable: true })
  quote!: string | null;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt!: Date;
}
