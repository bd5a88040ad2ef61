import { Check, Column, Entity, PrimaryColumn } from 'typeorm';

/** The indicator catalogue: reference data, loaded into every domain schema from subgraphs/<domain>/<domain>.indicators.csv. */
@Entity({ name: 'indicator' })
@Check('indicator_domain_check', `domain IN ('identity', 'finance', 'infrastructure')`)
export class IndicatorEntity {
  @PrimaryColumn({ type: 'text', primaryKeyConstraintName: 'indicator_pkey' })
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
