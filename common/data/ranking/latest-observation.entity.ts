import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { ObservationEntity } from '../observation/observation.entity';

/**
 * The ranking read model (migration 0005): the latest figure of each (locality, indicator) of this domain,
 * written by the import in the transaction that changes the observations, read by the cross-domain ranking.
 */
@Entity({ name: 'latest_observation' })
@Index('latest_observation_indicator_value_idx', ['indicatorCode', 'value'])
@Index('latest_observation_observation_id_idx', ['observationId'])
export class LatestObservationEntity {
  @PrimaryColumn({ name: 'locality_code', type: 'text', primaryKeyConstraintName: 'latest_observation_pkey' })
  localityCode!: string;

  @PrimaryColumn({ name: 'indicator_code', type: 'text', primaryKeyConstraintName: 'latest_observation_pkey' })
  indicatorCode!: string;

  @Column({ name: 'observation_id', type: 'bigint' })
  observationId!: string;

  @ManyToOne(() => ObservationEntity, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: 'observation_id', foreignKeyConstraintName: 'latest_observation_observation_id_fkey' })
  observation?: ObservationEntity;

  @Column({ type: 'numeric' })
  value!: string;

  @Column({ type: 'text' })
  qualifier!: string;

  @Column({ name: 'period_start', type: 'date', nullable: true })
  periodStart!: string | null;

  @Column({ name: 'period_end', type: 'date', nullable: true })
  periodEnd!: string | null;

  @Column({ name: 'period_label', type: 'text', nullable: true })
  periodLabel!: string | null;
}
