import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Which reference seed (registry, catalogue) is loaded, by checksum: a restart skips unchanged seeds. */
@Entity({ name: 'seed_state' })
export class SeedStateEntity {
  @PrimaryColumn({ type: 'text', primaryKeyConstraintName: 'seed_state_pkey' })
  name!: string;

  @Column({ type: 'text' })
  checksum!: string;

  @Column({ name: 'loaded_at', type: 'timestamptz', default: () => 'now()' })
  loadedAt!: Date;
}
