import type { Domain } from './model';

/** The typed headline rates (percent) the chart compares across localities, by domain. */
export const HEADLINES: Array<{ domain: Domain; field: string; en: string; vi: string }> = [
  { domain: 'identity', field: 'eidActivationRate', en: 'VNeID activation rate', vi: 'Tỉ lệ kích hoạt VNeID' },
  { domain: 'finance', field: 'transactionAccountRate', en: 'Transaction account rate', vi: 'Tỉ lệ có tài khoản giao dịch' },
  { domain: 'finance', field: 'benefitsPaidThroughAccounts', en: 'Benefits paid through accounts', vi: 'Chi trả an sinh qua tài khoản' },
  { domain: 'infrastructure', field: 'coverage4g', en: '4G coverage', vi: 'Phủ sóng 4G' },
];
