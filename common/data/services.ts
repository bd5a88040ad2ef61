import type { DataSource } from 'typeorm';
import type { Loaders } from '../core/context';
import type { Domain } from '../core/domain';
import { childrenLoader, levelsInForceLoader, linksLoader, localityAsOfLoader, localityLoader } from './locality/locality.loaders';
import { LocalityRepository } from './locality/locality.repository';
import { LocalityService } from './locality/locality.service';
import { DerivedMetricService } from './observation/derived-metric.service';
import { IndicatorCatalogue } from './observation/indicator-catalogue';
import { observationCountsLoader, observationsLoader } from './observation/observation.loaders';
import { ObservationRepository } from './observation/observation.repository';
import { ObservationService } from './observation/observation.service';
import { RankingRepository } from './ranking/ranking.repository';
import { RankingService } from './ranking/ranking.service';
import { RollupService } from './observation/rollup.service';
import { RollupRepository } from './observation/rollup.repository';
import { rollupsLoader } from './observation/rollup.loaders';

/** The use-case layer of one subgraph process, built once at start-up and handed to every resolver. */
export interface Services {
  localities: LocalityService;
  observations: ObservationService;
  metrics: DerivedMetricService;
  ranking: RankingService;
  rollups: RollupService;
}

/** One domain's data layer: services for resolvers, and a factory of per-request loaders (resolver → service → loader → repository). */
export interface DomainData {
  services: Services;
  createLoaders(): Loaders;
}

export function createDomainData(domain: Domain, dataSource: DataSource): DomainData {
  const localityRepository = new LocalityRepository(dataSource);
  const observationRepository = new ObservationRepository(dataSource, domain);
  const catalogue = new IndicatorCatalogue(observationRepository);
  const observations = new ObservationService(catalogue, domain);
  const rollupRepository = new RollupRepository(dataSource);
  return {
    services: {
      localities: new LocalityService(localityRepository),
      observations,
      metrics: new DerivedMetricService(observations),
      ranking: new RankingService(catalogue, new RankingRepository(dataSource)),
      rollups: new RollupService(catalogue, domain),
    },
    // Fresh loaders per request: batching across one query's resolvers, no caching across callers.
    createLoaders: () => ({
      locality: localityLoader(localityRepository),
      children: childrenLoader(localityRepository),
      localityAsOf: localityAsOfLoader(localityRepository),
      links: linksLoader(localityRepository),
      levelsInForce: levelsInForceLoader(localityRepository),
      observations: observationsLoader(observationRepository, catalogue),
      observationCounts: observationCountsLoader(observationRepository),
      rollups: rollupsLoader(rollupRepository),
    }),
  };
}
