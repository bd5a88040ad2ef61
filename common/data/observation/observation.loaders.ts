import DataLoader from 'dataloader';
import type { ObservationRecord } from '../../core/observation/observation.record';
import type { IndicatorCatalogue } from './indicator-catalogue';
import type { ObservationRepository } from './observation.repository';

/** Every observation of the domain for the localities of one request, in one query. */
export function observationsLoader(repository: ObservationRepository, catalogue: IndicatorCatalogue) {
  return new DataLoader<string, ObservationRecord[]>(
    async (codes) => {
      let rows = await repository.findByLocalities(codes, await catalogue.byCode());
      if (rows.some((r) => !r.indicator)) {
        // An indicator seeded after the catalogue was cached: refresh once.
        catalogue.forget();
        rows = await repository.findByLocalities(codes, await catalogue.byCode());
      }
      const grouped = new Map<string, ObservationRecord[]>();
      for (const row of rows) {
        const list = grouped.get(row.localityCode);
        if (list) list.push(row);
        else grouped.set(row.localityCode, [row]);
      }
      return codes.map((c) => grouped.get(c) ?? []);
    },
    { maxBatchSize: 5000 },
  );
}

/** Observation counts per locality, counted in SQL (no rows loaded). */
export function observationCountsLoader(repository: ObservationRepository) {
  return new DataLoader<string, number>(
    async (codes) => {
      const counts = await repository.countByLocalities(codes);
      return codes.map((c) => counts.get(c) ?? 0);
    },
    { maxBatchSize: 5000 },
  );
}
