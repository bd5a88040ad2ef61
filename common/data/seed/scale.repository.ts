import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ClientBase } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { Domain } from '../../core/domain';
import { LATEST_ORDER } from '../ranking/latest-order';

/** The synthetic source: its own row in each domain schema, so its figures are told apart and removed by its id. */
export interface SyntheticSource {
  title: string;
  publisher: string;
  document: string;
}

/** A unit of the registry as the generator needs it. */
export interface ScaleUnit {
  code: string;
  parentCode: string | null;
  /** Rank of the code in the database's own text order (the order of the indexes that lead with locality_code). */
  indexOrder: number;
}

/** The columns COPY fills, in the order of each generated line. */
export const COPY_COLUMNS = [
  'locality_code',
  'indicator_code',
  'value',
  'qualifier',
  'period_start',
  'period_end',
  'period_label',
  'source_id',
  'notes',
];

/**
 * SQL of `npm run seed:scale`, on one pg client holding the single transaction (COPY needs the driver's client,
 * which TypeORM does not expose). Table names are unqualified: `useSchema` points search_path at a domain.
 */
export class ScaleRepository {
  constructor(private readonly client: ClientBase) {}

  async begin(): Promise<void> {
    await this.client.query('BEGIN');
    // Two runs at once would each delete the other's rows: the second waits for the first.
    await this.client.query(`SELECT pg_advisory_xact_lock(hashtext('atlas-seed-scale'))`);
  }

  async commit(): Promise<void> {
    await this.client.query('COMMIT');
  }

  async rollback(): Promise<void> {
    await this.client.query('ROLLBACK');
  }

  async useSchema(domain: Domain): Promise<void> {
    await this.client.query(`SET LOCAL search_path TO "${domain}"`);
  }

  /** Units in force over the whole span (pre-reform units for periods before 1 July 2025), parents first. */
  async unitsInForce(from: string, to: string): Promise<ScaleUnit[]> {
    const { rows } = await this.client.query<ScaleUnit>(
      `SELECT code, parent_code AS "parentCode", (row_number() OVER (ORDER BY code))::int - 1 AS "indexOrder" FROM locality
        WHERE (valid_from IS NULL OR valid_from <= $1::date) AND (valid_to IS NULL OR valid_to >= $2::date)
        ORDER BY depth, code`,
      [from, to],
    );
    return rows;
  }

  async sourceId(source: SyntheticSource): Promise<number | undefined> {
    const { rows } = await this.client.query<{ id: number }>('SELECT id FROM source WHERE title = $1 AND url IS NULL', [source.title]);
    return rows[0]?.id;
  }

  async upsertSource(source: SyntheticSource): Promise<number> {
    const { rows } = await this.client.query<{ id: number }>(
      `INSERT INTO source (title, url, publisher, document, title_supplied) VALUES ($1, NULL, $2, $3, true)
       ON CONFLICT ON CONSTRAINT source_title_url_key DO UPDATE SET publisher = excluded.publisher, document = excluded.document
       RETURNING id`,
      [source.title, source.publisher, source.document],
    );
    return rows[0].id;
  }

  async deleteSource(id: number): Promise<void> {
    await this.client.query('DELETE FROM source WHERE id = $1', [id]);
  }

  /** (locality, indicator) pairs with a figure of another source: the generator leaves them to the real figures. */
  async pairsOfOtherSources(sourceId: number): Promise<Set<string>> {
    const { rows } = await this.client.query<{ pair: string }>(
      `SELECT DISTINCT locality_code || '|' || indicator_code AS pair FROM observation WHERE source_id <> $1`,
      [sourceId],
    );
    return new Set(rows.map((r) => r.pair));
  }

  /**
   * Deletes the source's figures, their read-model rows first, set-based; returns how many. With `skipRowChecks` the
   * ON DELETE CASCADE trigger stays off for the second statement: the first already deleted every row it would look for
   * (measured: 2.6 million index probes that find nothing, a minute on this machine).
   */
  async deleteObservations(sourceId: number, skipRowChecks: boolean): Promise<number> {
    await this.client.query('DELETE FROM latest_observation l USING observation o WHERE o.id = l.observation_id AND o.source_id = $1', [sourceId]);
    if (skipRowChecks) await this.client.query('SET LOCAL session_replication_role = replica');
    try {
      const result = await this.client.query('DELETE FROM observation WHERE source_id = $1', [sourceId]);
      return result.rowCount ?? 0;
    } finally {
      if (skipRowChecks) await this.client.query('SET LOCAL session_replication_role = origin');
    }
  }

  /**
   * The foreign-key check of a COPY, done once for the whole set: locks (FOR KEY SHARE, as each per-row check would)
   * the units, indicators and source the rows will reference, and says whether they all exist.
   */
  async lockReferences(localityCodes: readonly string[], indicatorCodes: readonly string[], sourceId: number): Promise<boolean> {
    const { rows } = await this.client.query<{ ok: boolean }>(
      `SELECT (SELECT count(*) FROM (SELECT 1 FROM locality WHERE code = ANY($1::text[]) FOR KEY SHARE) l) = cardinality($1::text[])
          AND (SELECT count(*) FROM (SELECT 1 FROM indicator WHERE code = ANY($2::text[]) FOR KEY SHARE) i) = cardinality($2::text[])
          AND EXISTS (SELECT 1 FROM source WHERE id = $3 FOR KEY SHARE) AS ok`,
      [localityCodes, indicatorCodes, sourceId],
    );
    return rows[0].ok;
  }

  /** Whether this connection may skip per-row trigger checks (session_replication_role needs a superuser). */
  async canSkipRowChecks(): Promise<boolean> {
    const { rows } = await this.client.query<{ su: string }>(`SELECT current_setting('is_superuser') AS su`);
    return rows[0].su === 'on';
  }

  /**
   * COPY FROM STDIN of tab-separated lines (COPY_COLUMNS), chunk by chunk with back-pressure; returns the rows copied.
   * With `skipRowChecks` (after lockReferences proved every key), the per-row foreign-key triggers stay off for this
   * statement only: they would repeat the same three lookups millions of times (measured: half the load time).
   */
  async copyObservations(chunks: AsyncIterable<string> | Iterable<string>, skipRowChecks: boolean): Promise<number> {
    if (skipRowChecks) await this.client.query('SET LOCAL session_replication_role = replica');
    try {
      const stream = this.client.query(copyFrom(`COPY observation (${COPY_COLUMNS.join(', ')}) FROM STDIN`));
      await pipeline(Readable.from(chunks), stream);
      return stream.rowCount;
    } finally {
      if (skipRowChecks) await this.client.query('SET LOCAL session_replication_role = origin');
    }
  }

  /**
   * Fills the ranking read model (migration 0005) for every (locality, indicator) with figures but no latest row:
   * after deleteObservations dropped the rows that pointed at synthetic figures and COPY added figures only for
   * pairs without real ones, those are exactly the pairs whose latest figure changed. One set-based statement.
   */
  async fillLatest(skipRowChecks: boolean): Promise<number> {
    // Statistics from before the load would plan the anti-join as nested scans.
    await this.client.query('ANALYZE observation');
    // The DISTINCT ON sorts every figure of the domain: in memory, not in temporary files (default 4 MB).
    await this.client.query(`SET LOCAL work_mem = '256MB'`);
    // Each row's observation_id comes from observation in this very statement: its foreign-key check cannot fail.
    if (skipRowChecks) await this.client.query('SET LOCAL session_replication_role = replica');
    const result = await this.client.query(
      `INSERT INTO latest_observation (locality_code, indicator_code, observation_id, value, qualifier, period_start, period_end, period_label)
       SELECT DISTINCT ON (o.locality_code, o.indicator_code)
              o.locality_code, o.indicator_code, o.id, o.value, o.qualifier, o.period_start, o.period_end, o.period_label
         FROM observation o JOIN source s ON s.id = o.source_id
        WHERE o.part_of_unit IS NULL -- a figure for part of a unit is never the unit's value (migration 0002)
          AND NOT EXISTS (SELECT 1 FROM latest_observation l WHERE l.locality_code = o.locality_code AND l.indicator_code = o.indicator_code)
        ORDER BY o.locality_code, o.indicator_code, ${LATEST_ORDER}`,
    );
    if (skipRowChecks) await this.client.query('SET LOCAL session_replication_role = origin');
    await this.client.query('SET LOCAL work_mem TO DEFAULT');
    await this.client.query('ANALYZE latest_observation');
    return result.rowCount ?? 0;
  }
}
