import type { DataSource } from 'typeorm';

/** An audit record before it is written (AuditEntryEntity without its id). */
export interface AuditRecord {
  at: Date;
  requestId: string;
  keyName: string | null;
  operationName: string | null;
  domains: string[];
  durationMs: number;
  status: number;
  errorCodes: string[];
  /** 'gateway', or '<domain> subgraph' (AUDIT_SOURCE.subgraph) for a call a subgraph refused. */
  source: string;
}

/** The writers of the audit trail. */
export const AUDIT_SOURCE = { gateway: 'gateway', subgraph: (domain: string) => `${domain} subgraph` } as const;

export interface AuditPage {
  entries: Array<AuditRecord & { id: string }>;
  hasNextPage: boolean;
}

/** The gateway's SQL: one statement per rate-limit hit, one per audit batch. Tables are unqualified (search_path = gateway). */
export class GatewayRepository {
  constructor(private readonly db: DataSource) {}

  /**
   * Counts `requests` requests of estimated `cost` in all in the key's current minute; returns the minute's totals so far and the
   * seconds left in it. An upsert with RETURNING: atomic, so replicas sharing the database never lose or double a count.
   */
  async hit(keyName: string, cost = 0, requests = 1): Promise<{ requests: number; cost: number; secondsLeft: number }> {
    const rows: Array<{ requests: number; cost: string; seconds_left: string }> = await this.db.query(
      `INSERT INTO rate_limit_bucket AS b (key_name, window_start, requests, cost) VALUES ($1, date_trunc('minute', now()), $3, $2)
       ON CONFLICT (key_name, window_start) DO UPDATE SET requests = b.requests + EXCLUDED.requests, cost = b.cost + EXCLUDED.cost
       RETURNING b.requests, b.cost, extract(epoch FROM b.window_start + interval '1 minute' - now()) AS seconds_left`,
      [keyName, cost, requests],
    );
    return { requests: rows[0].requests, cost: Number(rows[0].cost), secondsLeft: Number(rows[0].seconds_left) };
  }

  /** Writes a batch of audit records in one statement (unnest of column arrays). */
  async insertAudit(records: AuditRecord[]): Promise<void> {
    if (!records.length) return;
    const column = <T>(pick: (r: AuditRecord) => T) => records.map(pick);
    await this.db.query(
      `INSERT INTO audit_entry (at, request_id, key_name, operation_name, domains, duration_ms, status, error_codes, source)
       SELECT at, request_id, key_name, operation_name, string_to_array(domains, ','), duration_ms, status, string_to_array(error_codes, ','), source
         FROM unnest($1::timestamptz[], $2::text[], $3::text[], $4::text[], $5::text[], $6::int[], $7::smallint[], $8::text[], $9::text[])
           AS t(at, request_id, key_name, operation_name, domains, duration_ms, status, error_codes, source)`,
      [
        column((r) => r.at),
        column((r) => r.requestId),
        column((r) => r.keyName),
        column((r) => r.operationName),
        column((r) => r.domains.join(',')),
        column((r) => r.durationMs),
        column((r) => r.status),
        column((r) => r.errorCodes.join(',')),
        column((r) => r.source),
      ],
    );
  }

  /** Drops audit records older than the retention and rate-limit buckets older than an hour. */
  async prune(retentionDays: number): Promise<{ audit: number; buckets: number }> {
    const [, audit] = await this.db.query<[unknown, number]>(`DELETE FROM audit_entry WHERE at < now() - make_interval(days => $1)`, [retentionDays]);
    const [, buckets] = await this.db.query<[unknown, number]>(`DELETE FROM rate_limit_bucket WHERE window_start < now() - interval '1 hour'`);
    return { audit, buckets };
  }

  /**
   * Audit records newest first, optionally since a time and of one key; `afterId` continues a page (keyset on the id,
   * which grows with time): one statement, on the primary key, whatever the page.
   */
  async listAudit(filter: { since?: Date | null; keyName?: string | null; first: number; afterId?: string | null }): Promise<AuditPage> {
    // Only the filters given, so the planner sees each query's real shape: a key's page walks (key_name, id) backwards.
    const params: unknown[] = [filter.first + 1];
    const where: string[] = [];
    const add = (condition: string, value: unknown) => {
      params.push(value);
      where.push(condition.replace('?', `$${params.length}`));
    };
    if (filter.since) add('at >= ?::timestamptz', filter.since);
    if (filter.keyName != null) add('key_name = ?::text', filter.keyName);
    if (filter.afterId != null) add('id < ?::bigint', filter.afterId);
    // ORDER BY names the column: a bare `id` would sort the select list's text ('9' before '10').
    const rows: Array<Record<string, unknown>> = await this.db.query(
      `SELECT id::text, at, request_id, key_name, operation_name, domains, duration_ms, status, error_codes, source FROM audit_entry
        ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
        ORDER BY audit_entry.id DESC LIMIT $1`,
      params,
    );
    const entries = rows.slice(0, filter.first).map((r) => ({
      id: r.id as string,
      at: r.at as Date,
      requestId: r.request_id as string,
      keyName: r.key_name as string | null,
      operationName: r.operation_name as string | null,
      domains: r.domains as string[],
      durationMs: r.duration_ms as number,
      status: r.status as number,
      errorCodes: r.error_codes as string[],
      source: r.source as string,
    }));
    return { entries, hasNextPage: rows.length > filter.first };
  }
}
