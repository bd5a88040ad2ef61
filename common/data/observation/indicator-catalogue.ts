import type { IndicatorRecord } from '../../core/observation/observation.record';
import type { ObservationRepository } from './observation.repository';

/** The catalogue is reference data that only a seed run changes; a short cache keeps validation off the database. */
const CATALOGUE_TTL_MS = 30_000;

/** The indicator catalogue of one schema, cached; read by the observation service and the observation loaders. */
export class IndicatorCatalogue {
  private cached?: { at: number; byCode: Map<string, IndicatorRecord>; list: IndicatorRecord[] };

  constructor(private readonly repository: ObservationRepository) {}

  async list(): Promise<IndicatorRecord[]> {
    return (await this.load()).list;
  }

  async byCode(): Promise<Map<string, IndicatorRecord>> {
    return (await this.load()).byCode;
  }

  /** Drops the cache: an indicator seeded after it was filled must be seen. */
  forget(): void {
    this.cached = undefined;
  }

  private async load() {
    if (!this.cached || Date.now() - this.cached.at > CATALOGUE_TTL_MS) {
      const list = await this.repository.indicators();
      this.cached = { at: Date.now(), list, byCode: new Map(list.map((i) => [i.code, i])) };
    }
    return this.cached;
  }
}
