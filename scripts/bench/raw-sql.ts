import http from 'node:http';
import pg from 'pg';
import { AS_OF, PAGE_SIZE, PROVINCE, RANK_BELOW, RANK_BY, RANK_FILTER, RANK_PAGE, type ScenarioId } from './scenarios';

/**
 * Bench only: the `raw-sql` system of `npm run bench`, the floor. Each scenario is ONE hand-written statement
 * through `pg`, returning the same rows and figures as the GraphQL systems (the headline figures come from the
 * latest-value read model `<domain>.latest_observation`, which the bench data fills with exactly one whole-unit
 * figure per commune, indicator and year). Served over loopback HTTP by a bare node:http server, so the number
 * includes one HTTP hop and JSON, like the others:
 *
 *   node dist/scripts/bench/raw-sql.js <databaseUrl> <port>       POST / {"scenario":"a","page":0}
 */

const FIGURE = (alias: string, schema: string, indicator: string) =>
  `LEFT JOIN "${schema}".latest_observation ${alias} ON ${alias}.locality_code = l.code AND ${alias}.indicator_code = '${indicator}'`;
const FIGURE_COLUMNS = (alias: string, name: string) =>
  `${alias}.value::float8 AS "${name}", ${alias}.qualifier AS "${name}Qualifier", to_char(${alias}.period_end, 'YYYY-MM-DD') AS "${name}End"`;

const THREE_DOMAINS_FROM = `identity.locality l
  ${FIGURE('ia', 'identity', 'identity.eid.activated_accounts')}
  ${FIGURE('ir', 'identity', 'identity.eid.activation_rate')}
  ${FIGURE('fh', 'finance', 'finance.account.transaction_account_holders')}
  ${FIGURE('fr', 'finance', 'finance.account.transaction_account_rate_15plus')}
  ${FIGURE('nb', 'infrastructure', 'infrastructure.stations.base_stations')}
  ${FIGURE('nc', 'infrastructure', 'infrastructure.coverage.4g_population')}`;
const THREE_DOMAINS_COLUMNS = [
  'l.code, l.name, l.level',
  FIGURE_COLUMNS('ia', 'activatedEidAccounts'),
  FIGURE_COLUMNS('ir', 'eidActivationRate'),
  FIGURE_COLUMNS('fh', 'transactionAccountHolders'),
  FIGURE_COLUMNS('fr', 'transactionAccountRate'),
  FIGURE_COLUMNS('nb', 'baseStations'),
  FIGURE_COLUMNS('nc', 'coverage4g'),
].join(',\n  ');
const IN_FORCE = `(l.valid_from IS NULL OR l.valid_from <= '${AS_OF}'::date) AND (l.valid_to IS NULL OR l.valid_to >= '${AS_OF}'::date)`;
const ORDER = 'l.depth, l.valid_from NULLS FIRST, l.gso_code, l.code';

/** The statement of each scenario; $1 is the scenario's parameter (the code, the offset), if any. */
export const RAW_SQL: Record<ScenarioId, string> = {
  a: `SELECT ${THREE_DOMAINS_COLUMNS} FROM ${THREE_DOMAINS_FROM} WHERE l.code = $1`,
  b: `SELECT ${THREE_DOMAINS_COLUMNS}, count(*) OVER ()::int AS "totalCount" FROM ${THREE_DOMAINS_FROM}
       WHERE l.level = 'COMMUNE' AND l.ancestor_codes @> ARRAY['${PROVINCE}'] AND ${IN_FORCE} ORDER BY ${ORDER} LIMIT ${PAGE_SIZE}`,
  c: `SELECT ${THREE_DOMAINS_COLUMNS}, count(*) OVER ()::int AS "totalCount" FROM ${THREE_DOMAINS_FROM}
       WHERE l.level = 'COMMUNE' AND ${IN_FORCE} ORDER BY ${ORDER} LIMIT ${PAGE_SIZE} OFFSET $1`,
  d: `SELECT l.code, l.name, ${FIGURE_COLUMNS('fh', 'transactionAccountHolders')}, ${FIGURE_COLUMNS('fr', 'transactionAccountRate')},
            count(*) OVER ()::int AS "totalCount"
       FROM finance.locality l
       ${FIGURE('fh', 'finance', 'finance.account.transaction_account_holders')}
       ${FIGURE('fr', 'finance', 'finance.account.transaction_account_rate_15plus')}
      WHERE l.level = 'COMMUNE' AND l.ancestor_codes @> ARRAY['${PROVINCE}'] AND ${IN_FORCE} ORDER BY ${ORDER} LIMIT ${PAGE_SIZE}`,
  e: `WITH ranked AS (
        SELECT r.locality_code AS code, r.value, r.qualifier, rank() OVER (ORDER BY r.value DESC)::int AS rank, count(*) OVER ()::int AS total
          FROM identity.latest_observation r
          JOIN finance.locality l ON l.code = r.locality_code AND l.level = 'COMMUNE'
          JOIN finance.latest_observation f ON f.locality_code = r.locality_code AND f.indicator_code = '${RANK_FILTER}' AND f.value < ${RANK_BELOW}
         WHERE r.indicator_code = '${RANK_BY}')
      SELECT k.rank, k.value::float8 AS value, k.qualifier, k.total AS "totalCount", l.code, l.name, p.name AS "parentName",
             fr.value::float8 AS "transactionAccountRate", nc.value::float8 AS "coverage4g"
        FROM ranked k
        JOIN finance.locality l ON l.code = k.code
        LEFT JOIN finance.locality p ON p.code = l.parent_code
        ${FIGURE('fr', 'finance', RANK_FILTER)}
        ${FIGURE('nc', 'infrastructure', 'infrastructure.coverage.4g_population')}
       ORDER BY k.rank, k.code LIMIT ${RANK_PAGE}`,
};

interface RawRequest {
  scenario: ScenarioId;
  /** (a): the locality code; (c): the page number. */
  param?: string | number;
}

async function main(): Promise<void> {
  const [databaseUrl, portArg] = process.argv.slice(2);
  if (!databaseUrl || !portArg) throw new Error('usage: raw-sql.js <databaseUrl> <port>');
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 8, application_name: 'atlas-raw-sql-bench' });
  const server = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      void (async () => {
        try {
          const { scenario, param } = JSON.parse(body) as RawRequest;
          const text = RAW_SQL[scenario];
          if (!text) throw new Error(`unknown scenario ${String(scenario)}`);
          const params: unknown[] = scenario === 'a' ? [String(param)] : scenario === 'c' ? [Number(param) * PAGE_SIZE] : [];
          const { rows } = await pool.query(text, params);
          res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ data: rows }));
        } catch (err) {
          res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ errors: [{ message: (err as Error).message }] }));
        }
      })();
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(Number(portArg), '127.0.0.1', resolve));
  console.log(`raw-sql ready http://127.0.0.1:${portArg}/`);
  const stop = () => {
    server.close();
    server.closeAllConnections();
    void pool.end().then(() => process.exit(0));
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

// Run as a process (the bench), not when the bench imports RAW_SQL.
if (require.main === module) {
  main().catch((err: unknown) => {
    console.error(`raw-sql failed: ${(err as Error).stack ?? String(err)}`);
    process.exit(1);
  });
}
