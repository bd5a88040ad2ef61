import type { ProfileDefinition } from '../../common/graph/profile';

/**
 * What finance serves on `Locality.finance`: the profile type, and its typed headline fields. Each headline
 * returns the latest figure of the first of its indicators that a place has (catalogue codes; a test
 * checks every code against the catalogue and the catalogue's `headline` column against this table).
 */
export const financeProfile: ProfileDefinition = {
  name: 'FinanceProfile',
  description:
    'Digital finance in a locality: bank and transaction accounts, cashless payments, e-wallets, social benefits and pensions paid through accounts, online payment of public services.',
  headlines: {
    transactionAccountHolders: {
      indicators: ['finance.account.transaction_account_holders', 'finance.account.transaction_account_holders_14plus'],
      description: 'People with a transaction account at a bank or other licensed institution.',
    },
    transactionAccountRate: {
      indicators: [
        'finance.account.transaction_account_rate_15plus',
        'finance.account.transaction_account_rate_14plus',
        'finance.account.transaction_account_rate_working_age',
        'finance.account.transaction_account_rate_population',
      ],
      description: 'Share of people with a transaction account, in percent (the indicator names the age group).',
    },
    benefitsPaidThroughAccounts: {
      indicators: ['finance.social_benefit.paid_through_accounts_rate'],
      description: 'Share of social-benefit beneficiaries and meritorious people paid through accounts, in percent.',
    },
  },
};
