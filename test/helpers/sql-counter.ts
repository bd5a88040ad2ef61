import { performance } from 'node:perf_hooks';
import pg from 'pg';

/** Statements counted for one application_name, and their summed driver-side time. */
export interface Tally {
  statements: number;
  ms: number;
}

export interface TraceEntry {
  application: string;
  ms: number;
  text: string;
}

type QueryFn = (this: pg.Client, ...args: unknown[]) => unknown;
const active = new Set<SqlCounter>();
const INSTALLED = Symbol.for('atlas.sql-counter.installed');

const textOf = (q: unknown) => (typeof q === 'string' ? q : ((q as { text?: string } | undefined)?.text ?? '')).replace(/\s+/g, ' ').slice(0, 300);

/**
 * Wraps pg.Client#query once per loaded `pg` module: DataSource.query, TypeORM repositories, the query
 * builder, query runners and pg.Pool#query all end there, so no path to Postgres goes uncounted.
 */
function install(): void {
  const proto = pg.Client.prototype as unknown as Record<PropertyKey, unknown> & { query: QueryFn };
  if (proto[INSTALLED]) return;
  proto[INSTALLED] = true;
  const original = proto.query;
  proto.query = function (this: pg.Client, ...args: unknown[]) {
    if (active.size === 0) return original.apply(this, args);
    const application = (this as unknown as { connectionParameters?: { application_name?: string } }).connectionParameters?.application_name ?? '';
    const t0 = performance.now();
    let recorded = false;
    const done = () => {
      if (recorded) return;
      recorded = true;
      const ms = performance.now() - t0;
      for (const counter of active) counter.record(application, ms, args[0]);
    };
    const last = args.length - 1;
    // The callback form (pg.Pool#query uses it) returns nothing: time it through its callback.
    if (typeof args[last] === 'function') {
      const callback = args[last] as (...a: unknown[]) => unknown;
      args[last] = (...a: unknown[]) => {
        done();
        return callback(...a);
      };
    }
    const result = original.apply(this, args);
    if (result && typeof (result as Promise<unknown>).then === 'function') (result as Promise<unknown>).then(done, done);
    else if (typeof args[last] !== 'function') done(); // a submittable (cursor, stream): counted when sent
    return result;
  };
}

/**
 * Counts every SQL statement this process sends to Postgres, by the connection's application_name
 * (each subgraph of the test stack and the import have their own), until `stop()`.
 * Used by the statement-count tests and by `npm run bench` alike.
 */
export class SqlCounter {
  private readonly tallies = new Map<string, Tally>();
  /** Each statement's application, time and text (only when constructed with `trace`). */
  readonly trace?: TraceEntry[];

  constructor(options: { trace?: boolean } = {}) {
    if (options.trace) this.trace = [];
    install();
    active.add(this);
  }

  record(application: string, ms: number, query: unknown): void {
    const tally = this.tallies.get(application) ?? { statements: 0, ms: 0 };
    tally.statements += 1;
    tally.ms += ms;
    this.tallies.set(application, tally);
    this.trace?.push({ application, ms, text: textOf(query) });
  }

  /** Statements (and their summed time) since the last reset: of the given application names, or of all. */
  tally(...applications: string[]): Tally {
    const out: Tally = { statements: 0, ms: 0 };
    for (const [name, t] of this.tallies) {
      if (applications.length && !applications.includes(name)) continue;
      out.statements += t.statements;
      out.ms += t.ms;
    }
    return out;
  }

  statements(...applications: string[]): number {
    return this.tally(...applications).statements;
  }

  reset(): void {
    this.tallies.clear();
    this.trace?.splice(0);
  }

  stop(): void {
    active.delete(this);
  }
}
