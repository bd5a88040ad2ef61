import type { ProfileDefinition } from '../../common/graph/profile';

/**
 * What finance serves on `Locality.finance`: the profile type, and its typed headline fields. Each headline
 * returns the latest whole-unit figure of its one canonical indicator, never another basis (a test checks
 * every code against the catalogue and the catalogue's `headline` column against this table).
 */
export const financeProfile: ProfileDefinition = {
  name: 'FinanceProfile',
  description:
    'Digital finance in a locality: bank and transaction accounts, cashless payments, e-wallets, social benefits and pensions paid through accounts, online payment of public services.',
  headlines: {
    transactionAccountHolders: {
      indicator: 'finance.account.transaction_account_holders',
      description: 'People with a transaction account at a bank or other licensed institution.',
    },
    transactionAccountRate: {
      indicator: 'finance.account.transaction_account_rate_15plus',
      description: 'Share of citizens aged 15 and over with a transaction account, in percent.',
    },
    benefitsPaidThroughAccounts: {
      indicator: 'finance.social_benefit.paid_through_accounts_rate',
      description: 'Share of social-benefit beneficiaries and meritorious people paid through accounts, in percent.',
    },
  },
};
