import { createProfileType } from '../../common/graph/profile';

export const IdentityProfile = createProfileType(
  'IdentityProfile',
  'Digital identity in a locality: eID/VNeID accounts, chip ID cards, ID records, digital signatures, population-database authentication.',
);
