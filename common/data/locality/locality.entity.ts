import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';

/**
 * One administrative unit of the GSO registry (or the country root `VN`), stored in every domain schema.
 * Names of keys, indexes and checks are those of migrations 0001 and 0003 (test/integration/typeorm-schema.test.ts).
 */
@Entity({ name: 'locality' })
@Check('locality_level_check', `level IN ('COUNTRY', 'PROVINCE', 'DISTRICT', 'COMMUNE')`)
@Check('locality_validity_check', 'valid_from IS NULL OR valid_to IS NULL OR valid_from <= valid_to')
@Index('locality_parent_code_idx', ['parentCode'])
@Index('locality_level_idx', ['level'])
@Index('locality_ancestor_codes_idx', ['ancestorCodes'], { type: 'gin' })
@Index('locality_gso_code_idx', ['gsoCode'])
export class LocalityEntity {
  @PrimaryColumn({ type: 'text', primaryKeyConstraintName: 'locality_pkey' })
  code!: string;

  @Column({ name: 'gso_code', type: 'text' })
  gsoCode!: string;

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

  @Column({ name: 'valid_from', type: 'date', nullable: true })
  validFrom!: string | null;

  @Column({ name: 'valid_to', type: 'date', nullable: true })
  validTo!: string | null;
}
