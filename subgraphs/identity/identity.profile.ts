import type { ProfileDefinition } from '../../common/graph/profile';

/**
 * What identity serves on `Locality.identity`: the profile type, and its typed headline fields. Each headline
 * returns the latest whole-unit figure of its one canonical indicator, never another basis (a test checks
 * every code against the catalogue and the catalogue's `headline` column against this table).
 */
export const identityProfile: ProfileDefinition = {
  name: 'IdentityProfile',
  description:
    'Digital identity in a locality: eID/VNeID accounts, chip ID cards, ID records, digital signatures, population-database authentication.',
  headlines: {
    activatedEidAccounts: {
      indicator: 'identity.eid.activated_accounts',
      description: 'Activated electronic identification (VNeID) accounts.',
    },
    eidActivationRate: {
      indicator: 'identity.eid.activation_rate',
      description: 'Share of eligible citizens with an activated eID account, in percent.',
    },
  },
};
