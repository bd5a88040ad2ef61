import type { Domain } from './model';

export const SEARCH = `query DashboardSearch($search: String!) {
  localities(search: $search, first: 8) { nodes { code name level parent { name } } }
}`;

const FIGURE = `value qualifier indicator { code name unit domain } period { start end label } source { title publisher url }`;

export const LOCALITY = `query DashboardLocality($code: ID!) {
  locality(code: $code) {
    code name level
    identity { observations(latest: true) { ${FIGURE} } eidActivationRate { value indicator { code } } }
    finance { observations(latest: true) { ${FIGURE} } transactionAccountRate { value indicator { code } } benefitsPaidThroughAccounts { value indicator { code } } }
    infrastructure { observations(latest: true) { ${FIGURE} } coverage4g { value indicator { code } } }
  }
}`;

export const PROVINCES = `query DashboardProvinces {
  localities(level: PROVINCE, first: 100) {
    nodes {
      code name
      identity { observations(latest: true) { value qualifier indicator { code name unit domain } } }
      finance { observations(latest: true) { value qualifier indicator { code name unit domain } } }
      infrastructure { observations(latest: true) { value qualifier indicator { code name unit domain } } }
    }
  }
}`;

/** The typed headline rates (percent) the chart compares across localities, by domain. */
export const HEADLINES: Array<{ domain: Domain; field: string; en: string; vi: string }> = [
  { domain: 'identity', field: 'eidActivationRate', en: 'VNeID activation rate', vi: 'Tỉ lệ kích hoạt VNeID' },
  { domain: 'finance', field: 'transactionAccountRate', en: 'Transaction account rate', vi: 'Tỉ lệ có tài khoản giao dịch' },
  { domain: 'finance', field: 'benefitsPaidThroughAccounts', en: 'Benefits paid through accounts', vi: 'Chi trả an sinh qua tài khoản' },
  { domain: 'infrastructure', field: 'coverage4g', en: '4G coverage', vi: 'Phủ sóng 4G' },
];
