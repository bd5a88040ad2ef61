import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** One administrative unit of the GSO registry (or the country root `VN`), stored in every domain schema. */
@Entity({ name: 'locality' })
export class LocalityEntity {
  @PrimaryColumn({ type: 'text' })
  code!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ name: 'name_ascii', type: 'text' })
  nameAscii!: string;

  @Index()
  @Column({ type: 'text' })
  level!: string;

  @Column({ type: 'smallint' })
  depth!: number;

  @Column({ type: 'text' })
  type!: string;

  @Column({ name: 'type_name', type: 'text' })
  typeName!: string;

  @Index()
  @Column({ name: 'parent_code', type: 'text', nullable: true })
  parentCode!: string | null;

  @Column({ name: 'ancestor_codes', type: 'text', array: true })
  ancestorCodes!: string[];

  @Column({ name: 'search_key', type: 'text' })
  searchKey!: string;

  @Column({ name: 'name_key', type: 'text' })
  nameKey!: string;
}
