import DataLoader from 'dataloader';
import type { DataSource } from 'typeorm';
import type { Domain } from '../core/domain';
import type { Loaders } from '../core/context';
import { LocalityRepository } from './locality/locality.repository';
import { LocalityService } from './locality/locality.service';
import { ObservationRepository } from './observation/observation.repository';
import { ObservationService } from './observation/observation.service';

/** The use-case layer of one subgraph process, built once at start-up and handed to every resolver. */
export interface Services {
  domain: Domain;
  dataSource: DataSource;
  localities: LocalityService;
  observations: ObservationService;
}

export function createServices(domain: Domain, dataSource: DataSource): Services {
  return {
    domain,
    dataSource,
    localities: new LocalityService(new LocalityRepository(dataSource)),
    observations: new ObservationService(new ObservationRepository(dataSource, domain), domain),
  };
}

/** Fresh loaders per request: batching across one query's resolvers, no caching across callers. */
export function createLoaders(services: Services): Loaders {
  return {
    locality: new DataLoader((codes) => services.localities.loadByCodes(codes), { maxBatchSize: 5000 }),
    children: new DataLoader((keys) => services.localities.loadChildren(keys), { maxBatchSize: 1000 }),
    observations: new DataLoader((codes) => services.observations.batchByLocality(codes), { maxBatchSize: 5000 }),
    observationCounts: new DataLoader((codes) => services.observations.batchCounts(codes), { maxBatchSize: 5000 }),
  };
}
