import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** One request through the gateway, or one refused at a subgraph: who (key name, never the key), what, how long, how it ended. */
@Entity({ name: 'audit_entry' })
@Index('audit_entry_at_idx', ['at'])
@Index('audit_entry_key_at_idx', ['keyName', 'at'])
@Index('audit_entry_key_id_idx', ['keyName', 'id'])
export class AuditEntryEntity {
  @PrimaryGeneratedColumn({ type: 'bigint', primaryKeyConstraintName: 'audit_entry_pkey' })
  id!: string;

  @Column({ type: 'timestamptz' })
  at!: Date;

  @Column({ name: 'request_id', type: 'text' })
  requestId!: string;

  /** Null when no known key was presented (a 401). */
  @Column({ name: 'key_name', type: 'text', nullable: true })
  keyName!: string | null;

  @Column({ name: 'operation_name', type: 'text', nullable: true })
  operationName!: string | null;

  @Column({ type: 'text', array: true })
  domains!: string[];

  @Column({ name: 'duration_ms', type: 'integer' })
  durationMs!: number;

  /** The HTTP status of the response. */
  @Column({ type: 'smallint' })
  status!: number;

  @Column({ name: 'error_codes', type: 'text', array: true })
  errorCodes!: string[];

  /** Who wrote it: 'gateway', or '<domain> subgraph' for a direct call that subgraph refused (no gateway request behind it). */
  @Column({ type: 'text', default: 'gateway' })
  source!: string;
}
