import { Column, Entity, PrimaryGeneratedColumn, Unique } from 'typeorm';

/** Where a figure was published. Identified by (title, url); a source without url is one source per title. */
@Entity({ name: 'source' })
// NULLS NOT DISTINCT (migration 0001): TypeORM 1.1 cannot say it, and compares uniques by name and columns only.
@Unique('source_title_url_key', ['title', 'url'])
export class SourceEntity {
  @PrimaryGeneratedColumn({ type: 'integer', primaryKeyConstraintName: 'source_pkey' })
  id!: number;

  @Column({ type: 'text' })
  title!: string;

  @Column({ type: 'text', nullable: true })
  url!: string | null;

  @Column({ type: 'text', nullable: true })
  publisher!: string | null;

  @Column({ name: 'published_at', type: 'date', nullable: true })
  publishedAt!: string | null;

  @Column({ type: 'text', nullable: true })
  document!: string | null;

  /** True when the document gives no title and the title is ours. */
  @Column({ name: 'title_supplied', type: 'boolean', default: false })
  titleSupplied!: boolean;
}
