/** The three domains, in composition order: each is a subgraph, a Postgres schema and a partner scope. */
export const DOMAINS = ['identity', 'finance', 'infrastructure'] as const;
export type Domain = (typeof DOMAINS)[number];

/** The same set as an enum object (GraphQL `enum Domain`); values are the lower-case names used everywhere else. */
export const Domain: { readonly [D in Domain]: D } = { identity: 'identity', finance: 'finance', infrastructure: 'infrastructure' };
