import type { ProfileDefinition } from '../../common/graph/profile';

/**
 * What infrastructure serves on `Locality.infrastructure`: the profile type, and its typed headline fields. Each headline
 * returns the latest whole-unit figure of its one canonical indicator, never another basis (a test checks
 * every code against the catalogue and the catalogue's `headline` column against this table).
 */
export const infrastructureProfile: ProfileDefinition = {
  name: 'InfrastructureProfile',
  description:
    'Digital infrastructure in a locality: base stations, mobile coverage, broadband, fibre, smartphones, internet users, community digital-transformation teams.',
  headlines: {
    baseStations: {
      indicator: 'infrastructure.stations.base_stations',
      description: 'Broadcasting / base transceiver stations.',
    },
    fiveGStations: {
      indicator: 'infrastructure.stations.5g_stations',
      description: '5G stations on air.',
    },
    coverage4g: {
      indicator: 'infrastructure.coverage.4g_population',
      description: 'Share of the population covered by 4G, in percent.',
    },
    fixedBroadbandSubscribers: {
      indicator: 'infrastructure.broadband.fixed_subscribers',
      description: 'Fixed broadband internet subscriptions.',
    },
    mobileBroadbandSubscribers: {
      indicator: 'infrastructure.broadband.mobile_subscribers',
      description: 'Mobile broadband internet subscriptions.',
    },
  },
};
