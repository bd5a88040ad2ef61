import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { LocalityEntity } from './locality.entity';

/** One edge of the 2025 reform (old unit → new unit), in every domain schema. Names are those of migration 0003. */
@Entity({ name: 'locality_link' })
@Check('locality_link_relation_check', `relation IN ('FULL', 'PARTIAL')`)
@Check('locality_link_confidence_check', `confidence IN ('HIGH', 'LOW')`)
@Index('locality_link_successor_code_idx', ['successorCode'])
export class LocalityLinkEntity {
  @PrimaryColumn({ name: 'predecessor_code', type: 'text', primaryKeyConstraintName: 'locality_link_pkey' })
  predecessorCode!: string;

  @PrimaryColumn({ name: 'successor_code', type: 'text', primaryKeyConstraintName: 'locality_link_pkey' })
  successorCode!: string;

  @ManyToOne(() => LocalityEntity, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: 'predecessor_code', foreignKeyConstraintName: 'locality_link_predecessor_code_fkey' })
  predecessor?: LocalityEntity;

  @ManyToOne(() => LocalityEntity, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: 'successor_code', foreignKeyConstraintName: 'locality_link_successor_code_fkey' })
  successor?: LocalityEntity;

  @Column({ type: 'text' })
  relation!: string;

  @Column({ type: 'text' })
  confidence!: string;
}
