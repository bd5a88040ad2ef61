import { createProfileType } from '../../common/graph/profile';

export const InfrastructureProfile = createProfileType(
  'InfrastructureProfile',
  'Digital infrastructure in a locality: base stations, mobile coverage, broadband, fibre, smartphones, internet users, community digital-transformation teams.',
);
