import type { AuditRecord, GatewayRepository } from './gateway.repository';
import type { Logger } from '../../platform/logger';

export interface AuditWriterOptions {
  /** Deletes records (of every source) older than this, hourly: the gateway's writer. Unset (a subgraph's): writes only. */
  retentionDays?: number;
  /** Write at least this often (ms). */
  flushIntervalMs?: number;
  /** Write as soon as this many records wait. */
  batchSize?: number;
  /** Records kept while the database is slow or away; beyond this, new records are dropped (and counted). */
  maxBuffered?: number;
}

/**
 * Batched, non-blocking audit: `record` only appends to a buffer; a timer writes it in one INSERT per batch.
 * A failed write is logged and the batch dropped, so the audit can neither fail nor slow a request.
 * The gateway records every request with it, each subgraph the calls it refuses (same table, `source` tells them apart).
 */
export class AuditWriter {
  private buffer: AuditRecord[] = [];
  private writing: Promise<void> = Promise.resolve();
  private readonly timer: NodeJS.Timeout;
  private readonly pruneTimer: NodeJS.Timeout | undefined;
  private dropped = 0;
  /** Responses under way: each settles when its response closes (after its record, written on 'finish'). */
  private readonly inFlight = new Set<Promise<void>>();
  private readonly batchSize: number;
  private readonly maxBuffered: number;

  constructor(
    private readonly repository: GatewayRepository,
    private readonly log: Logger,
    private readonly options: AuditWriterOptions,
  ) {
    this.batchSize = options.batchSize ?? 500;
    this.maxBuffered = options.maxBuffered ?? 50_000;
    this.timer = setInterval(() => void this.flush(), options.flushIntervalMs ?? 1000).unref();
    if (options.retentionDays !== undefined) {
      this.pruneTimer = setInterval(() => void this.prune(), 3_600_000).unref();
      void this.prune();
    }
  }

  record(entry: AuditRecord): void {
    if (this.buffer.length >= this.maxBuffered) {
      this.dropped += 1;
      return;
    }
    this.buffer.push(entry);
    if (this.buffer.length >= this.batchSize) void this.flush();
  }

  /** Follows one response: `settle` waits for it (a client can have the response before its 'finish' event has run). */
  track(closed: Promise<void>): void {
    this.inFlight.add(closed);
    void closed.finally(() => this.inFlight.delete(closed));
  }

  /** Waits for the responses under way to be recorded, then writes everything (tests; shutdown). */
  async settle(): Promise<void> {
    await Promise.all(this.inFlight);
    await this.flush();
  }

  /** Writes what is buffered (batches one after another); resolves when written or given up. */
  flush(): Promise<void> {
    this.writing = this.writing.then(async () => {
      while (this.buffer.length) {
        const batch = this.buffer.splice(0, this.batchSize);
        try {
          await this.repository.insertAudit(batch);
        } catch (err) {
          this.log.error({ err, records: batch.length }, 'audit batch could not be written; dropped');
        }
      }
      if (this.dropped) {
        this.log.warn({ dropped: this.dropped }, 'audit buffer was full; records dropped');
        this.dropped = 0;
      }
    });
    return this.writing;
  }

  async prune(): Promise<void> {
    const { retentionDays } = this.options;
    if (retentionDays === undefined) return;
    try {
      const removed = await this.repository.prune(retentionDays);
      if (removed.audit) this.log.info({ removed: removed.audit, retentionDays }, 'audit records past retention removed');
    } catch (err) {
      this.log.warn({ err }, 'audit retention could not be applied');
    }
  }

  /** Stops the timers and writes what is left. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    clearInterval(this.pruneTimer);
    await this.flush();
  }
}
