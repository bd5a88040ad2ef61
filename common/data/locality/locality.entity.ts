import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';

/**
 * One administrative unit of the GSO registry (or the country root `VN`), stored in every domain schema.
 * Names of keys, indexes and checks are those of migration 0001 (test/integration/typeorm-schema.test.ts).
 */
@Entity({ name: 'locality' })
@Check('locality_level_check', `level IN ('COUNTRY', 'PROVINCE', 'DISTRICT', 'COMMUNE')`)
@Index('locality_parent_code_idx', ['parentCode'])
@Index('locality_level_idx', ['level'])
@Index('locality_ancestor_codes_idx', ['ancestorCodes'], { type: 'gin' })
export class LocalityEntity {
  @PrimaryColumn({ type: 'text', primaryKeyConstraintName: 'locality_pkey' })
  code!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ name: 'name_ascii', type: 'text' })
  nameAscii!: string;

  @Column({ type: 'text' })
  level!: string;

  @Column({ type: 'smallint' })
  depth!: number;

  @Column({ type: 'text' })
  type!: string;

  @Column({ name: 'type_name', type: 'text' })
  typeName!: string;

  @Column({ name: 'parent_code', type: 'text', nullable: true })
  parentCode!: string | null;

  @ManyToOne(() => LocalityEntity)
  @JoinColumn({ name: 'parent_code', foreignKeyConstraintName: 'locality_parent_code_fkey' })
  parent?: LocalityEntity | null;

  @Column({ name: 'ancestor_codes', type: 'text', array: true })
  ancestorCodes!: string[];

  @Column({ name: 'search_key', type: 'text' })
  searchKey!: string;

  @Column({ name: 'name_key', type: 'text' })
  nameKey!: string;
}
