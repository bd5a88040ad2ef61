import { importBenchmark } from './import-bench';
import { report } from './report';

/**
 * The one place the bench loads its data. Today: the generated CSV through the streaming import (measured:
 * rows/s, memory), then a re-import and VACUUM ANALYZE (import-bench.ts). When `npm run seed:scale` (issue 13,
 * part A: ~2.5M synthetic observations by COPY) lands, switch this function to it; the comparison reads only
 * the six headline indicators of the generated rows (scenarios.ts), which the scale seed also covers.
 * Returns the import's rows/s (for the "import ≥ 50,000 rows/s" target).
 */
export async function loadBenchData(databaseUrl: string): Promise<number | undefined> {
  await importBenchmark(databaseUrl);
  return report.import?.first?.rowsPerSecond;
}
