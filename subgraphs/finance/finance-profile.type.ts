import { createProfileType } from '../../common/graph/profile';

export const FinanceProfile = createProfileType(
  'FinanceProfile',
  'Digital finance in a locality: bank and transaction accounts, cashless payments, e-wallets, social benefits and pensions paid through accounts, online payment of public services.',
);
