import type { DataSource } from 'typeorm';
import { IndicatorEntity } from './indicator.entity';
import type { Domain } from '../../core/domain';
import { periodOf, Qualifier, type IndicatorRecord, type ObservationRecord } from '../../core/observation/observation.record';

interface ObservationRow {
  id: string;
  locality_code: string;
  indicator_code: string;
  value: string;
  numerator: string | null;
  denominator: string | null;
  qualifier: Qualifier;
  numerator_qualifier: Qualifier | null;
  denominator_qualifier: Qualifier | null;
  part_of_unit: string | null;
  period_start: string | null;
  period_end: string | null;
  period_label: string | null;
  notes: string | null;
  quote: string | null;
  title: string;
  title_supplied: boolean;
  publisher: string | null;
  url: string | null;
  published_at: string | null;
  document: string | null;
}

const num = (v: string | null) => (v == null ? null : Number(v));

/** All reads of indicators and observations of one domain schema. */
export class ObservationRepository {
  constructor(
    private readonly db: DataSource,
    private readonly domain: Domain,
  ) {}

  async indicators(): Promise<IndicatorRecord[]> {
    const rows = await this.db.getRepository(IndicatorEntity).find({ order: { position: 'ASC', code: 'ASC' } });
    return rows.map(({ denominatorLabel, ...indicator }) => ({ ...indicator, denominator: denominatorLabel }) as IndicatorRecord);
  }

  /** How many observations of this domain each locality has, in one grouped query (no rows loaded). */
  async countByLocalities(codes: readonly string[]): Promise<Map<string, number>> {
    if (codes.length === 0) return new Map();
    const rows: Array<{ code: string; n: number }> = await this.db.query(
      `SELECT o.locality_code AS code, count(*)::int AS n
         FROM observation o JOIN indicator i ON i.code = o.indicator_code
        WHERE o.locality_code = ANY($1::text[]) AND i.domain = $2
        GROUP BY o.locality_code`,
      [codes, this.domain],
    );
    return new Map(rows.map((r) => [r.code, r.n]));
  }

  /**
   * Every observation of this domain for a set of localities, in one query. Hand-written: one three-table
   * join with a composite sort returns each locality's rows in serving order, with no entity hydration. Order: catalogue
   * position, then most recent period (undated last), then most recently published source.
   */
  async findByLocalities(codes: readonly string[], catalogue: ReadonlyMap<string, IndicatorRecord>): Promise<ObservationRecord[]> {
    if (codes.length === 0) return [];
    const rows: ObservationRow[] = await this.db.query(
      `SELECT o.id::text, o.locality_code, o.indicator_code, o.value::text, o.numerator::text, o.denominator::text,
              o.qualifier, o.numerator_qualifier, o.denominator_qualifier, o.part_of_unit, to_char(o.period_start, 'YYYY-MM-DD') AS period_start,
              to_char(o.period_end, 'YYYY-MM-DD') AS period_end, o.period_label, o.notes, o.quote,
              s.title, s.title_supplied, s.publisher, s.url, to_char(s.published_at, 'YYYY-MM-DD') AS published_at, s.document
         FROM observation o
         JOIN indicator i ON i.code = o.indicator_code
         JOIN source s ON s.id = o.source_id
        WHERE o.locality_code = ANY($1::text[]) AND i.domain = $2
        ORDER BY o.locality_code, i.position, coalesce(o.period_end, o.period_start) DESC NULLS LAST,
                 o.period_start DESC NULLS LAST, s.published_at DESC NULLS LAST, o.id DESC`,
      [codes, this.domain],
    );
    return rows.map((r) => ({
      id: `${this.domain}:${r.id}`,
      localityCode: r.locality_code,
      indicator: catalogue.get(r.indicator_code)!,
      value: Number(r.value),
      numerator: num(r.numerator),
      denominator: num(r.denominator),
      qualifier: r.qualifier,
      // A part stated without a hedge is exact; the column holds only the hedged ones.
      numeratorQualifier: r.numerator == null ? null : (r.numerator_qualifier ?? Qualifier.EXACT),
      denominatorQualifier: r.denominator == null ? null : (r.denominator_qualifier ?? Qualifier.EXACT),
      partOfUnit: r.part_of_unit,
      coversWholeUnit: r.part_of_unit == null,
      period: periodOf(r.period_start, r.period_end, r.period_label),
      source: {
        title: r.title,
        titleSupplied: r.title_supplied,
        publisher: r.publisher,
        url: r.url,
        publishedAt: r.published_at,
        document: r.document,
      },
      notes: r.notes,
      quote: r.quote,
    }));
  }
}
