/** The three domains, in composition order: each is a subgraph, a Postgres schema and a partner scope. */
export const DOMAINS = ['identity', 'finance', 'infrastructure'] as const;
export type Domain = (typeof DOMAINS)[number];
