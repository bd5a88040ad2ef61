import type { QueryRunner } from 'typeorm';
import { DOMAINS, type Domain } from '../../core/domain';
import type { IndicatorRecord } from '../../core/observation/observation.record';
import { LATEST_ORDER } from '../ranking/latest-order';
import type { ValidRow } from './validate';

/**
 * Staging and merge SQL of the observation import; runs on the importer's query runner, inside its single
 * transaction. Set-based SQL (unnest, a window, one upsert per domain) because row-by-row ORM writes would
 * cost a round trip per row. Table names are unqualified: `useSchema` points search_path at a domain.
 */
export class ImportRepository {
  constructor(private readonly runner: QueryRunner) {}

  /** QueryRunner.query is untyped (`any`); the caller names the row shape its SELECT returns. */
  private async rows<T>(sql: string, params?: unknown[]): Promise<T[]> {
    return (await this.runner.query(sql, params)) as T[];
  }

  /** Every later statement of the transaction resolves table names in `domain` (temp tables stay visible). */
  async useSchema(domain: Domain): Promise<void> {
    await this.runner.query(`SET LOCAL search_path TO "${domain}"`);
  }

  /** The registry and catalogue are the same in every schema; read them from the first one. */
  async localityCodes(): Promise<Set<string>> {
    await this.useSchema(DOMAINS[0]);
    const rows = await this.rows<{ code: string }>('SELECT code FROM locality');
    return new Set(rows.map((r) => r.code));
  }

  async catalogue(): Promise<Map<string, IndicatorRecord>> {
    await this.useSchema(DOMAINS[0]);
    const rows = await this.rows<IndicatorRecord>(
      'SELECT code, domain, name, unit, denominator_label AS denominator, description, headline, position FROM indicator',
    );
    return new Map(rows.map((r) => [r.code, r]));
  }

  async createStaging(): Promise<void> {
    await this.runner.query(`
      CREATE TEMP TABLE import_staging (
        file text NOT NULL, file_index integer NOT NULL, line integer NOT NULL, domain text NOT NULL,
        locality_code text NOT NULL, indicator_code text NOT NULL,
        value numeric NOT NULL, numerator numeric, denominator numeric, qualifier text NOT NULL,
        period_start date, period_end date, period_label text,
        source_title text NOT NULL, source_url text, source_publisher text, source_published_at date, source_document text,
        notes text, quote text, numerator_qualifier text, denominator_qualifier text, part_of_unit text, source_title_supplied boolean
      ) ON COMMIT DROP`);
  }

  async stage(file: string, fileIndex: number, rows: ValidRow[]): Promise<void> {
    if (rows.length === 0) return;
    const col = <K extends keyof ValidRow>(k: K) => rows.map((r) => r[k]);
    await this.runner.query(
      `INSERT INTO import_staging
       SELECT $1, $2::int, * FROM unnest($3::int[], $4::text[], $5::text[], $6::text[], $7::numeric[], $8::numeric[], $9::numeric[],
         $10::text[], $11::date[], $12::date[], $13::text[], $14::text[], $15::text[], $16::text[], $17::date[], $18::text[],
         $19::text[], $20::text[], $21::text[], $22::text[], $23::text[], $24::boolean[])`,
      [
        file,
        fileIndex,
        col('line'),
        col('domain'),
        col('localityCode'),
        col('indicatorCode'),
        col('value'),
        col('numerator'),
        col('denominator'),
        col('qualifier'),
        col('periodStart'),
        col('periodEnd'),
        col('periodLabel'),
        col('sourceTitle'),
        col('sourceUrl'),
        col('sourcePublisher'),
        col('sourcePublishedAt'),
        col('sourceDocument'),
        col('notes'),
        col('quote'),
        col('numeratorQualifier'),
        col('denominatorQualifier'),
        col('partOfUnit'),
        col('sourceTitleSupplied'),
      ],
    );
  }

  /** Later rows (in argument order, then line order) that repeat an earlier row's key. */
  async duplicates(limit: number): Promise<Array<{ file: string; line: number; first_file: string; first_line: number }>> {
    return this.rows(
      `SELECT file, line, first_file, first_line FROM (
         SELECT file, file_index, line,
                first_value(file) OVER w AS first_file, first_value(line) OVER w AS first_line,
                row_number() OVER w AS n
           FROM import_staging
         WINDOW w AS (PARTITION BY locality_code, indicator_code, period_start, period_end, source_title, source_url, part_of_unit
                      ORDER BY file_index, line)
       ) d WHERE n > 1 ORDER BY file_index, line LIMIT $1`,
      [limit],
    );
  }

  /** Upserts sources, then observations, of one domain; returns how many rows were inserted, updated, left as they were. */
  async merge(domain: Domain): Promise<{ inserted: number; updated: number; unchanged: number }> {
    await this.useSchema(domain);
    await this.runner.query(
      `INSERT INTO source (title, url, publisher, published_at, document, title_supplied)
       SELECT DISTINCT ON (source_title, source_url) source_title, source_url, source_publisher, source_published_at, source_document,
              coalesce(source_title_supplied, false)
         FROM import_staging WHERE domain = $1 ORDER BY source_title, source_url, file, line
       ON CONFLICT ON CONSTRAINT source_title_url_key DO UPDATE SET
         publisher = coalesce(excluded.publisher, source.publisher),
         published_at = coalesce(excluded.published_at, source.published_at),
         document = coalesce(excluded.document, source.document)
       WHERE (source.publisher, source.published_at, source.document)
             IS DISTINCT FROM (coalesce(excluded.publisher, source.publisher), coalesce(excluded.published_at, source.published_at),
                               coalesce(excluded.document, source.document))`,
      [domain],
    );
    // Only files that say whether the title is ours change the flag of a source already stored.
    await this.runner.query(
      `UPDATE source SET title_supplied = said.supplied
         FROM (SELECT source_title, source_url, bool_or(source_title_supplied) AS supplied FROM import_staging
                WHERE domain = $1 AND source_title_supplied IS NOT NULL GROUP BY source_title, source_url) said
        WHERE source.title = said.source_title AND source.url IS NOT DISTINCT FROM said.source_url
          AND source.title_supplied IS DISTINCT FROM said.supplied`,
      [domain],
    );
    const rows = await this.rows<{ total: number; inserted: number; updated: number }>(
      `WITH staged AS (
         SELECT st.*, src.id AS source_id FROM import_staging st
           JOIN source src ON src.title = st.source_title AND src.url IS NOT DISTINCT FROM st.source_url
          WHERE st.domain = $1
       ), written AS (
         INSERT INTO observation AS o (locality_code, indicator_code, value, numerator, denominator, qualifier,
                                       numerator_qualifier, denominator_qualifier, part_of_unit,
                                       period_start, period_end, period_label, source_id, notes, quote)
         SELECT locality_code, indicator_code, value, numerator, denominator, qualifier,
                numerator_qualifier, denominator_qualifier, part_of_unit,
                period_start, period_end, period_label, source_id, notes, quote FROM staged
         ON CONFLICT ON CONSTRAINT observation_natural_key DO UPDATE SET
           value = excluded.value, numerator = excluded.numerator, denominator = excluded.denominator,
           qualifier = excluded.qualifier, numerator_qualifier = excluded.numerator_qualifier,
           denominator_qualifier = excluded.denominator_qualifier, period_label = excluded.period_label, notes = excluded.notes,
           quote = excluded.quote, updated_at = now()
         WHERE (o.value, o.numerator, o.denominator, o.qualifier, o.numerator_qualifier, o.denominator_qualifier,
                o.period_label, o.notes, o.quote)
               IS DISTINCT FROM (excluded.value, excluded.numerator, excluded.denominator, excluded.qualifier,
                                 excluded.numerator_qualifier, excluded.denominator_qualifier,
                                 excluded.period_label, excluded.notes, excluded.quote)
         RETURNING (xmax = 0) AS inserted
       )
       SELECT (SELECT count(*)::int FROM staged) AS total,
              count(*) FILTER (WHERE inserted)::int AS inserted,
              count(*) FILTER (WHERE NOT inserted)::int AS updated
         FROM written`,
      [domain],
    );
    const { total, inserted, updated } = rows[0];
    if (total > 0) await this.refreshLatest(domain);
    return { inserted, updated, unchanged: total - inserted - updated };
  }

  /**
   * Keeps the ranking read model (latest_observation, migration 0005) in step, in this transaction: recomputes the
   * latest figure of every (locality, indicator) that has an observation of a source this import touched (a source
   * whose date was filled in can change which figure is latest, even for places the import did not name).
   */
  private async refreshLatest(domain: Domain): Promise<void> {
    // Statistics from before this import would plan the join below as nested scans (measured: 66 s for 10,000 rows).
    await this.runner.query('ANALYZE observation');
    await this.runner.query(
      `INSERT INTO latest_observation AS l (locality_code, indicator_code, observation_id, value, qualifier, period_start, period_end, period_label)
       SELECT DISTINCT ON (o.locality_code, o.indicator_code)
              o.locality_code, o.indicator_code, o.id, o.value, o.qualifier, o.period_start, o.period_end, o.period_label
         FROM observation o JOIN source s ON s.id = o.source_id
        WHERE o.part_of_unit IS NULL -- a figure for part of a unit is never the unit's value
          AND (o.locality_code, o.indicator_code) IN (
                SELECT t.locality_code, t.indicator_code FROM observation t
                 WHERE t.source_id IN (SELECT src.id FROM source src
                                         JOIN (SELECT DISTINCT source_title, source_url FROM import_staging WHERE domain = $1) st
                                           ON src.title = st.source_title AND src.url IS NOT DISTINCT FROM st.source_url))
        ORDER BY o.locality_code, o.indicator_code, ${LATEST_ORDER}
       ON CONFLICT ON CONSTRAINT latest_observation_pkey DO UPDATE SET
         observation_id = excluded.observation_id, value = excluded.value, qualifier = excluded.qualifier,
         period_start = excluded.period_start, period_end = excluded.period_end, period_label = excluded.period_label
       WHERE (l.observation_id, l.value, l.qualifier, l.period_start, l.period_end, l.period_label)
             IS DISTINCT FROM (excluded.observation_id, excluded.value, excluded.qualifier, excluded.period_start,
                               excluded.period_end, excluded.period_label)`,
      [domain],
    );
    // Fresh statistics for the ranking's plans, which would otherwise wait for autovacuum (measured: 1 s a page, not 25 ms).
    await this.runner.query('ANALYZE latest_observation');
  }
}
