import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** Where a figure was published. Identified by (title, url). */
@Entity({ name: 'source' })
export class SourceEntity {
  @PrimaryGeneratedColumn()
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
}
