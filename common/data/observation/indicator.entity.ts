import { Column, Entity, PrimaryColumn } from 'typeorm';

/** The indicator catalogue: reference data, loaded into every domain schema from seeds/indicators.csv. */
@Entity({ name: 'indicator' })
export class IndicatorEntity {
  @PrimaryColumn({ type: 'text' })
  code!: string;

  @Column({ type: 'text' })
  domain!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'text' })
  unit!: string;

  @Column({ name: 'denominator_label', type: 'text', nullable: true })
  denominatorLabel!: string | null;

  @Column({ type: 'text', nullable: true })
  description!: string | null;

  @Column({ type: 'text', nullable: true })
  headline!: string | null;

  @Column({ type: 'integer' })
  position!: number;
}
