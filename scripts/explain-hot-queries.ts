import 'reflect-metadata';
import { Client } from 'pg';
import { loadConfig } from '../common/platform/config';
import { connectDatabase } from '../common/platform/database/connect';
import { createLogger } from '../common/platform/logger';
import { LATEST_ORDER } from '../common/data/ranking/latest-order';
import { runCli } from './cli';

/**
 * `node dist/scripts/explain-hot-queries.js [--before]`: EXPLAIN (ANALYZE, BUFFERS) of the hot queries
 * (docs/performance.md, "Hot queries and indexes") on the current data, best of three runs each. `--before` runs
 * them with migration 0006's indexes dropped inside a transaction that is rolled back (nothing changes).
 */
interface HotQuery {
  name: string;
  schema: string;
  sql: string;
  params: (c: Client) => Promise<unknown[]>;
}

const COLUMNS = `code, gso_code, name, name_ascii, level, type, type_name, parent_code, ancestor_codes, valid_from, valid_to`;
const communes =
  (n: number, offset = 0) =>
  async (c: Client) => {
    const { rows } = await c.query<{ code: string }>(
      `SELECT code FROM identity.locality WHERE level = 'COMMUNE' AND valid_to IS NOT NULL ORDER BY gso_code LIMIT $1 OFFSET $2`,
      [n, offset],
    );
    return [rows.map((r) => r.code)];
  };

const QUERIES: HotQuery[] = [
  {
    name: 'locality by codes (1,000 communes)',
    schema: 'finance',
    sql: `SELECT ${COLUMNS} FROM locality WHERE code = ANY($1::text[])`,
    params: communes(1000),
  },
  {
    name: 'children of 10 districts (batch)',
    schema: 'finance',
    sql: `SELECT ${COLUMNS}, parent_code AS anchor FROM locality WHERE parent_code = ANY($1::text[]) ORDER BY depth, valid_from NULLS FIRST, gso_code, code`,
    params: () => Promise.resolve([['116', '118', '119', '120', '121', '122', '123', '124', '125', '126']]),
  },
  {
    name: 'descendants page: communes of province 14, first 100',
    schema: 'finance',
    sql: `SELECT ${COLUMNS}, count(*) OVER ()::int AS total FROM locality WHERE level = $1 AND ancestor_codes @> ARRAY[$2::text]
          ORDER BY depth, valid_from NULLS FIRST, gso_code, code LIMIT 100 OFFSET 0`,
    params: () => Promise.resolve(['COMMUNE', '14']),
  },
  {
    name: 'national commune page (first 1,000 after 9,000)',
    schema: 'finance',
    sql: `SELECT ${COLUMNS}, count(*) OVER ()::int AS total FROM locality WHERE level = $1
          ORDER BY depth, valid_from NULLS FIRST, gso_code, code LIMIT 1000 OFFSET 9000`,
    params: () => Promise.resolve(['COMMUNE']),
  },
  {
    name: 'search "son la"',
    schema: 'finance',
    sql: `SELECT ${COLUMNS}, count(*) OVER ()::int AS total FROM locality WHERE ((' ' || search_key) LIKE ('% ' || $1 || '%'))
          ORDER BY CASE WHEN name_key = $1 THEN 0 WHEN name_key LIKE $1 || '%' THEN 1 ELSE 2 END, depth, valid_from NULLS FIRST, gso_code, code LIMIT 20 OFFSET 0`,
    params: () => Promise.resolve(['son la']),
  },
  {
    name: 'observations of 1,000 communes (profile loader)',
    schema: 'identity',
    sql: `SELECT o.id, o.locality_code, o.indicator_code, o.value, o.qualifier, o.period_start, o.period_end, o.period_label, s.title, s.published_at
            FROM observation o JOIN indicator i ON i.code = o.indicator_code JOIN source s ON s.id = o.source_id
           WHERE o.locality_code = ANY($1::text[]) AND i.domain = 'identity'
           ORDER BY o.locality_code, i.position, coalesce(o.period_end, o.period_start) DESC NULLS LAST, o.period_start DESC NULLS LAST,
                    s.published_at DESC NULLS LAST, o.id DESC`,
    params: communes(1000),
  },
  {
    name: 'observation counts of 1,000 communes',
    schema: 'identity',
    sql: `SELECT o.locality_code AS code, count(*)::int AS n FROM observation o JOIN indicator i ON i.code = o.indicator_code
           WHERE o.locality_code = ANY($1::text[]) AND i.domain = 'identity' GROUP BY o.locality_code`,
    params: communes(1000),
  },
  {
    name: 'latest figures of 1,000 communes (read model)',
    schema: 'identity',
    sql: `SELECT locality_code, indicator_code, value FROM latest_observation WHERE locality_code = ANY($1::text[])`,
    params: communes(1000),
  },
  {
    name: 'ranking page: communes by 4G coverage, filtered by account rate, first 20',
    schema: 'finance',
    sql: `WITH scope AS (SELECT code FROM locality WHERE level = 'COMMUNE'),
          valued AS (SELECT b.* FROM infrastructure.latest_observation b JOIN scope ON scope.code = b.locality_code
                      WHERE b.indicator_code = 'infrastructure.coverage.4g_population'),
          ranked AS (SELECT b.locality_code, b.value, rank() OVER (ORDER BY b.value DESC)::int AS rank FROM valued b
                       JOIN finance.latest_observation f0 ON f0.locality_code = b.locality_code
                        AND f0.indicator_code = 'finance.account.transaction_account_rate_15plus' AND f0.value >= 50),
          page AS (SELECT * FROM ranked r ORDER BY r.value DESC, r.locality_code COLLATE "C" LIMIT 20)
          SELECT (SELECT count(*) FROM ranked)::int AS total, (SELECT count(*) FROM scope)::int AS in_scope,
                 (SELECT count(*) FROM valued)::int AS with_value, page.rank, page.value, locality.name
            FROM (SELECT 1) AS one LEFT JOIN page ON true LEFT JOIN locality ON locality.code = page.locality_code
           ORDER BY page.value DESC, page.locality_code COLLATE "C"`,
    params: () => Promise.resolve([]),
  },
  {
    name: "import: refresh the read model for one source's pairs (a seed document)",
    schema: 'infrastructure',
    sql: `SELECT DISTINCT ON (o.locality_code, o.indicator_code) o.locality_code, o.indicator_code, o.id
            FROM observation o JOIN source s ON s.id = o.source_id
           WHERE o.part_of_unit IS NULL
             AND (o.locality_code, o.indicator_code) IN (SELECT t.locality_code, t.indicator_code FROM observation t WHERE t.source_id = ANY($1::int[]))
           ORDER BY o.locality_code, o.indicator_code, ${LATEST_ORDER}`,
    params: async (c) => {
      const { rows } = await c.query<{ id: number }>(
        `SELECT id FROM infrastructure.source WHERE document IS DISTINCT FROM 'synthetic:seed-scale' ORDER BY id LIMIT 1`,
      );
      return [rows.map((r) => r.id)];
    },
  },
  {
    name: 'delete 1,000 figures (their read-model rows go by ON DELETE CASCADE)',
    schema: 'infrastructure',
    sql: `DELETE FROM observation WHERE id IN (SELECT observation_id FROM latest_observation ORDER BY locality_code, indicator_code LIMIT 1000)`,
    params: () => Promise.resolve([]),
  },
];

const INDEXES_0006 = ['observation_source_id_idx', 'latest_observation_observation_id_idx'];

async function main(argv: string[]): Promise<number> {
  const before = argv.includes('--before');
  const only = argv.filter((a) => !a.startsWith('--'));
  const log = createLogger('explain', 'warn');
  const database = await connectDatabase(loadConfig(), log, { startEmbedded: true });
  const client = new Client({ connectionString: database.url, application_name: 'atlas-explain' });
  await client.connect();
  try {
    for (const q of QUERIES.filter((x) => only.length === 0 || only.some((o) => x.name.includes(o)))) {
      const params = await q.params(client);
      let best: { ms: number; plan: string } | undefined;
      for (let i = 0; i < 3; i++) {
        await client.query('BEGIN');
        try {
          await client.query(`SET LOCAL search_path TO "${q.schema}"`);
          if (before) for (const index of INDEXES_0006) await client.query(`DROP INDEX IF EXISTS "${q.schema}".${index}`);
          const { rows } = await client.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) ${q.sql}`, params);
          // Arrays of 1,000 codes would bury the plan: show their size instead.
          const plan = rows
            .map((r) => r['QUERY PLAN'].replace(/'\{([^}]{80,})\}'/g, (_m, list: string) => `'{${list.split(',').length} codes}'`))
            .join('\n');
          const ms = Number(/Execution Time: ([\d.]+) ms/.exec(plan)?.[1] ?? NaN);
          if (!best || ms < best.ms) best = { ms, plan };
        } finally {
          await client.query('ROLLBACK');
        }
      }
      console.log(`### ${q.name}${before ? ' (without 0006)' : ''}: ${best!.ms.toFixed(1)} ms\n\n\`\`\`\n${best!.plan}\n\`\`\`\n`);
    }
    return 0;
  } finally {
    await client.end();
    await database.stop();
  }
}

runCli('explain', () => main(process.argv.slice(2)));
