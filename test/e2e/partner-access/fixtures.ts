import { keyDigest, type ApiKeyEntry } from '../../../common/platform/security/api-keys';

/** Partner keys of the access tests: a finance regulator (in clear), a telecom authority (stored hashed), an auditor, a throttled key. */
export const FINANCE_KEY = 'atlas_test_finance_partner_key_1';
export const TELECOM_KEY = 'atlas_test_telecom_partner_key_2';
export const AUDITOR_KEY = 'atlas_test_auditor_admin_key_003';
export const THROTTLED_KEY = 'atlas_test_throttled_key_000004';
export const THROTTLED_LIMIT = 3;
/** A finance dashboard on its own origin (CORS for this key only) and a key with a small query-cost budget. */
export const BANK_DASHBOARD_KEY = 'atlas_test_bank_dashboard_key_05';
export const BANK_DASHBOARD_ORIGIN = 'https://dashboard.bank.example.vn';
export const COSTLY_KEY = 'atlas_test_small_cost_budget_006';
export const COST_LIMIT = 200;
/** Every domain, no admin: sees all figures but not the audit. */
export const ALL_DOMAINS_KEY = 'atlas_test_all_domains_no_admin7';

export const PARTNER_KEYS: ApiKeyEntry[] = [
  { name: 'finance-regulator', key: FINANCE_KEY, scopes: ['finance'] },
  { name: 'telecom-authority', sha256: keyDigest(TELECOM_KEY), scopes: ['infrastructure'] },
  { name: 'auditor', key: AUDITOR_KEY, scopes: ['admin'] },
  { name: 'throttled', key: THROTTLED_KEY, scopes: ['finance'], requestsPerMinute: THROTTLED_LIMIT },
  { name: 'bank-dashboard', key: BANK_DASHBOARD_KEY, scopes: ['finance'], origins: [BANK_DASHBOARD_ORIGIN] },
  { name: 'costly', key: COSTLY_KEY, scopes: ['finance'], costPerMinute: COST_LIMIT },
  { name: 'all-domains', key: ALL_DOMAINS_KEY, scopes: ['identity', 'finance', 'infrastructure'] },
];

export const TYPE_NAMES = '{ __schema { types { name } } }';
export const LOCALITY_FIELDS = '{ __type(name: "Locality") { fields { name } } }';
