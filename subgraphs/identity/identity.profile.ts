import type { ProfileDefinition } from '../../common/graph/profile';

/**
 * What identity serves on `Locality.identity`: the profile type, and its typed headline fields. Each headline
 * returns the latest figure of the first of its indicators that a place has (catalogue codes; a test
 * checks every code against the catalogue and the catalogue's `headline` column against this table).
 */
export const identityProfile: ProfileDefinition = {
  name: 'IdentityProfile',
  description:
    'Digital identity in a locality: eID/VNeID accounts, chip ID cards, ID records, digital signatures, population-database authentication.',
  headlines: {
    activatedEidAccounts: {
      indicators: ['identity.eid.activated_accounts'],
      description: 'Activated electronic identification (VNeID) accounts.',
    },
    eidActivationRate: {
      indicators: [
        'identity.eid.activation_rate',
        'identity.eid.activation_rate_registered_accounts',
        'identity.eid.activation_rate_population',
        'identity.eid.activation_rate_adults',
      ],
      description: 'Share of eligible citizens with an activated eID account, in percent (see the indicator for the denominator).',
    },
  },
};
