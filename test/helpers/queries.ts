/**
 * The query `npm run bench` measures as "batching: 200 communes of 14 × 3 domains" and the batching test counts SQL for
 * (README: 9 statements in all, whatever `first`): one text, so the README's number and the benchmark's stay the same query.
 */
export const communesOf14 = (first: number) =>
  `{ localities(level: COMMUNE, parentCode: "14", first: ${first}) { totalCount nodes { code name identity { observationCount } finance { observationCount } infrastructure { observationCount } } } }`;
