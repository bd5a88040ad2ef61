import type { ProfileDefinition } from '../../common/graph/profile';

/**
 * What infrastructure serves on `Locality.infrastructure`: the profile type, and its typed headline fields. Each headline
 * returns the latest figure of the first of its indicators that a place has (catalogue codes; a test
 * checks every code against the catalogue and the catalogue's `headline` column against this table).
 */
export const infrastructureProfile: ProfileDefinition = {
  name: 'InfrastructureProfile',
  description:
    'Digital infrastructure in a locality: base stations, mobile coverage, broadband, fibre, smartphones, internet users, community digital-transformation teams.',
  headlines: {
    baseStations: {
      indicators: ['infrastructure.stations.base_stations'],
      description: 'Broadcasting / base transceiver stations.',
    },
    fiveGStations: {
      indicators: ['infrastructure.stations.5g_stations'],
      description: '5G stations on air.',
    },
    coverage4g: {
      indicators: [
        'infrastructure.coverage.4g_population',
        'infrastructure.coverage.4g_area',
        'infrastructure.coverage.4g_villages',
        'infrastructure.coverage.4g_communes',
      ],
      description: '4G coverage in percent (population coverage first; the indicator says what is covered).',
    },
    fixedBroadbandSubscribers: {
      indicators: ['infrastructure.broadband.fixed_subscribers'],
      description: 'Fixed broadband internet subscriptions.',
    },
    mobileBroadbandSubscribers: {
      indicators: ['infrastructure.broadband.mobile_subscribers'],
      description: 'Mobile broadband internet subscriptions.',
    },
  },
};
