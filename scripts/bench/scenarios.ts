import { communeCodes } from '../../test/helpers/csv';

/**
 * The five scenarios of the systems comparison (issue 13, item 3), each as the GraphQL the three GraphQL systems
 * are sent and as the name of the one hand-written statement the raw-sql system runs (scripts/bench/raw-sql.ts).
 * "Three domains" = the same six headline figures (two per domain: the indicators the bench data loads).
 */
export type ScenarioId = 'a' | 'b' | 'c' | 'd' | 'e';

export interface BenchScenario {
  id: ScenarioId;
  /** `a-…`, `b-…`: the name in bench/results/latest.json. */
  name: string;
  /** What it asks, for the report. */
  title: string;
  /** Which API key the GraphQL systems are sent (monolith and raw-sql check none). */
  key: 'analyst' | 'finance';
  /** Page size of the paged scenario (c): a request is one page, the run cycles through every page to the end. */
  pageSize?: number;
  /** The GraphQL query (for (c), with `$after`). */
  query: string;
}

const FIGURE = 'value qualifier period { end }';
const THREE_DOMAINS = `code name level
  identity { activatedEidAccounts { ${FIGURE} } eidActivationRate { ${FIGURE} } }
  finance { transactionAccountHolders { ${FIGURE} } transactionAccountRate { ${FIGURE} } }
  infrastructure { baseStations { ${FIGURE} } coverage4g { ${FIGURE} } }`;
/** Before the 2025 reform: 63 provinces, 696 districts, 10,047 communes (the units the bench data covers). */
export const AS_OF = '2025-03-01';
/** Sơn La: its 200 communes. */
export const PROVINCE = '14';
export const PAGE_SIZE = 1000;
export const RANK_BY = 'identity.eid.activation_rate';
export const RANK_FILTER = 'finance.account.transaction_account_rate_15plus';
export const RANK_BELOW = 80;
export const RANK_PAGE = 20;

/** The first commune of the registry: the bench data always covers it (even BENCH_QUICK's few rows). */
export const oneCommune = (): string => communeCodes()[0];

export function scenarios(): BenchScenario[] {
  const commune = oneCommune();
  return [
    {
      id: 'a',
      name: 'a-one-locality-three-domains',
      title: `locality(code: "${commune}"), 6 headline figures of 3 domains`,
      key: 'analyst',
      query: `{ locality(code: "${commune}") { ${THREE_DOMAINS} } }`,
    },
    {
      id: 'b',
      name: 'b-province-communes-three-domains',
      title: `the 200 communes of province ${PROVINCE}, 6 figures each`,
      key: 'analyst',
      query: `{ localities(level: COMMUNE, parentCode: "${PROVINCE}", asOf: "${AS_OF}", first: ${PAGE_SIZE}) { totalCount nodes { ${THREE_DOMAINS} } } }`,
    },
    {
      id: 'c',
      name: 'c-national-communes-paged',
      title: `all 10,047 communes, 6 figures each, ${PAGE_SIZE} a page to the end (one request = one page)`,
      key: 'analyst',
      pageSize: PAGE_SIZE,
      query: `query Page($after: String) { localities(level: COMMUNE, asOf: "${AS_OF}", first: ${PAGE_SIZE}, after: $after) {
        totalCount pageInfo { hasNextPage endCursor } nodes { ${THREE_DOMAINS} } } }`,
    },
    {
      id: 'd',
      name: 'd-finance-partner-province',
      title: `finance-scoped key: the 200 communes of province ${PROVINCE}, 2 finance figures each`,
      key: 'finance',
      query: `{ localities(level: COMMUNE, parentCode: "${PROVINCE}", asOf: "${AS_OF}", first: ${PAGE_SIZE}) { totalCount nodes { code name
        finance { transactionAccountHolders { ${FIGURE} } transactionAccountRate { ${FIGURE} } } } } }`,
    },
    {
      id: 'e',
      name: 'e-rank-communes-cross-domain',
      title: `rankLocalities: every commune by eID rate where account rate < ${RANK_BELOW}, first ${RANK_PAGE}`,
      key: 'analyst',
      query: `{ rankLocalities(by: "${RANK_BY}", level: COMMUNE, where: [{ indicator: "${RANK_FILTER}", lt: ${RANK_BELOW} }], first: ${RANK_PAGE}) {
        totalCount nodes { rank value qualifier locality { code name parent { name }
          finance { transactionAccountRate { value } } infrastructure { coverage4g { value } } } } } }`,
    },
  ];
}
