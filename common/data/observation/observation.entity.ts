import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { IndicatorEntity } from './indicator.entity';
import { SourceEntity } from './source.entity';
import { LocalityEntity } from '../locality/locality.entity';

/**
 * One published figure. Natural key: (locality, indicator, period, source) — enforced by a
 * NULLS NOT DISTINCT unique constraint in the migration, so re-imports update in place.
 */
@Entity({ name: 'observation' })
@Index(['localityCode', 'indicatorCode'])
export class ObservationEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ name: 'locality_code', type: 'text' })
  localityCode!: string;

  @ManyToOne(() => LocalityEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'locality_code' })
  locality?: LocalityEntity;

  @Column({ name: 'indicator_code', type: 'text' })
  indicatorCode!: string;

  @ManyToOne(() => IndicatorEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'indicator_code' })
  indicator?: IndicatorEntity;

  @Column({ type: 'numeric' })
  value!: string;

  @Column({ type: 'numeric', nullable: true })
  numerator!: string | null;

  @Column({ type: 'numeric', nullable: true })
  denominator!: string | null;

  @Column({ type: 'text' })
  qualifier!: string;

  @Column({ name: 'period_start', type: 'date', nullable: true })
  periodStart!: string | null;

  @Column({ name: 'period_end', type: 'date', nullable: true })
  periodEnd!: string | null;

  @Column({ name: 'period_label', type: 'text', nullable: true })
  periodLabel!: string | null;

  @Column({ name: 'source_id', type: 'integer' })
  sourceId!: number;

  @ManyToOne(() => SourceEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'source_id' })
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
