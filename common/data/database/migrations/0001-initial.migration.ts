import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Schema name of the data source running the migration: every domain schema gets the same tables. */
export function schemaOf(queryRunner: QueryRunner): string {
  const schema = (queryRunner.connection.options as { schema?: string }).schema;
  if (!schema || !/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error(`migration needs a plain schema name, got ${String(schema)}`);
  return schema;
}

export class Initial1732406400000 implements MigrationInterface {
  name = 'Initial1732406400000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const s = `"${schemaOf(queryRunner)}"`;
    await queryRunner.query(`
      CREATE TABLE ${s}.locality (
        code text PRIMARY KEY,
        name text NOT NULL,
        name_ascii text NOT NULL,
        level text NOT NULL CHECK (level IN ('COUNTRY', 'PROVINCE', 'DISTRICT', 'COMMUNE')),
        depth smallint NOT NULL,
        type text NOT NULL,
        type_name text NOT NULL,
        parent_code text REFERENCES ${s}.locality (code),
        ancestor_codes text[] NOT NULL,
        search_key text NOT NULL,
        name_key text NOT NULL
      )`);
    await queryRunner.query(`CREATE INDEX locality_parent_code_idx ON ${s}.locality (parent_code)`);
    await queryRunner.query(`CREATE INDEX locality_level_idx ON ${s}.locality (level)`);
    await queryRunner.query(`CREATE INDEX locality_ancestor_codes_idx ON ${s}.locality USING gin (ancestor_codes)`);

    await queryRunner.query(`
      CREATE TABLE ${s}.indicator (
        code text PRIMARY KEY,
        domain text NOT NULL CHECK (domain IN ('identity', 'finance', 'infrastructure')),
        name text NOT NULL,
        unit text NOT NULL,
        denominator_label text,
        description text,
        headline text,
        position integer NOT NULL
      )`);

    await queryRunner.query(`
      CREATE TABLE ${s}.source (
        id serial PRIMARY KEY,
        title text NOT NULL,
        url text,
        publisher text,
        published_at date,
        document text,
        CONSTRAINT source_title_url_key UNIQUE NULLS NOT DISTINCT (title, url)
      )`);

    await queryRunner.query(`
      CREATE TABLE ${s}.observation (
        id bigserial PRIMARY KEY,
        locality_code text NOT NULL REFERENCES ${s}.locality (code) ON DELETE RESTRICT,
        indicator_code text NOT NULL REFERENCES ${s}.indicator (code) ON DELETE RESTRICT,
        value numeric NOT NULL,
        numerator numeric,
        denominator numeric,
        qualifier text NOT NULL CHECK (qualifier IN ('EXACT', 'APPROXIMATE', 'AT_LEAST', 'AT_MOST')),
        period_start date,
        period_end date,
        period_label text,
        source_id integer NOT NULL REFERENCES ${s}.source (id) ON DELETE RESTRICT,
        notes text,
        quote text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT observation_period_check CHECK (period_start IS NULL OR period_end IS NULL OR period_start <= period_end),
        CONSTRAINT observation_parts_check CHECK (numerator IS NULL OR denominator IS NULL OR numerator <= denominator),
        CONSTRAINT observation_natural_key UNIQUE NULLS NOT DISTINCT (locality_code, indicator_code, period_start, period_end, source_id)
      )`);
    await queryRunner.query(`CREATE INDEX observation_locality_indicator_idx ON ${s}.observation (locality_code, indicator_code)`);
    await queryRunner.query(`CREATE INDEX observation_indicator_idx ON ${s}.observation (indicator_code)`);

    // Which reference seed (registry, catalogue) is loaded, by checksum: lets a restart skip unchanged seeds.
    await queryRunner.query(`
      CREATE TABLE ${s}.seed_state (
        name text PRIMARY KEY,
        checksum text NOT NULL,
        loaded_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const s = `"${schemaOf(queryRunner)}"`;
    for (const table of ['seed_state', 'observation', 'source', 'indicator', 'locality']) {
      await queryRunner.query(`DROP TABLE ${s}.${table}`);
    }
  }
}
