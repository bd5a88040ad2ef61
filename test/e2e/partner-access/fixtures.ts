import { keyDigest, type ApiKeyEntry } from '../../../common/platform/security/api-keys';

/** Partner keys of the access tests: a finance regulator (in clear), a telecom authority (stored hashed), an auditor, a throttled key. */
export const FINANCE_KEY = 'atlas_test_finance_partner_key_1';
export const TELECOM_KEY = 'atlas_test_telecom_partner_key_2';
export const AUDITOR_KEY = 'atlas_test_auditor_admin_key_003';
export const THROTTLED_KEY = 'atlas_test_throttled_key_000004';
export const THROTTLED_LIMIT = 3;

export const PARTNER_KEYS: ApiKeyEntry[] = [
  { name: 'finance-regulator', key: FINANCE_KEY, scopes: ['finance'] },
  { name: 'telecom-authority', sha256: keyDigest(TELECOM_KEY), scopes: ['infrastructure'] },
  { name: 'auditor', key: AUDITOR_KEY, scopes: ['admin'] },
  { name: 'throttled', key: THROTTLED_KEY, scopes: ['finance'], requestsPerMinute: THROTTLED_LIMIT },
];

export const TYPE_NAMES = '{ __schema { types { name } } }';
export const LOCALITY_FIELDS = '{ __type(name: "Locality") { fields { name } } }';
