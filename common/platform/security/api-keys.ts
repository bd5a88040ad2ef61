import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { SCOPES } from '../../core/scopes';

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest();

/** One entry of API_KEYS_FILE: the key in clear or as its SHA-256 (hex), a name for logs and audit, scopes, optional limits and browser origins. */
const keyEntry = z
  .object({
    name: z.string().min(1).max(100),
    key: z.string().min(16, 'a key needs at least 16 characters').optional(),
    sha256: z
      .string()
      .regex(/^[0-9a-f]{64}$/i, 'must be 64 hex digits')
      .optional(),
    scopes: z.array(z.enum(SCOPES)),
    requestsPerMinute: z.number().int().min(0).optional(),
    costPerMinute: z.number().int().min(0).optional(),
    origins: z.array(z.string().regex(/^https?:\/\/[^\s,/]+$/, 'must be an origin: scheme://host[:port], no path')).optional(),
  })
  .strict()
  .refine((e) => (e.key === undefined) !== (e.sha256 === undefined), 'give exactly one of "key" and "sha256"');

const keyFile = z.array(keyEntry).superRefine((entries, ctx) => {
  const names = new Set<string>();
  for (const [i, e] of entries.entries()) {
    if (names.has(e.name)) ctx.addIssue({ code: 'custom', path: [i, 'name'], message: `name "${e.name}" is used twice` });
    names.add(e.name);
  }
});

export type ApiKeyEntry = z.infer<typeof keyEntry>;

/** An authenticated caller: what the gateway knows after the key matched. */
export interface ApiKeyIdentity {
  name: string;
  scopes: readonly string[];
  requestsPerMinute?: number;
  costPerMinute?: number;
  /** Browser origins allowed for this key, besides CORS_ORIGINS. */
  origins?: readonly string[];
}

/** The keys of API_KEYS_FILE, kept only as SHA-256 digests in memory. */
export class KeyRing {
  private readonly entries: Array<ApiKeyIdentity & { digest: Buffer }>;

  constructor(entries: ApiKeyEntry[]) {
    this.entries = entries.map((e) => ({
      name: e.name,
      scopes: e.scopes,
      requestsPerMinute: e.requestsPerMinute,
      costPerMinute: e.costPerMinute,
      origins: e.origins,
      digest: e.key !== undefined ? sha256(e.key) : Buffer.from(e.sha256!, 'hex'),
    }));
  }

  get size(): number {
    return this.entries.length;
  }

  /** Every browser origin some key lists (preflights carry no key, so they are answered for any of them). */
  get origins(): ReadonlySet<string> {
    return new Set(this.entries.flatMap((e) => e.origins ?? []));
  }

  /** The key's identity, or undefined. Digests are compared in constant time, and every entry is compared, so timing says nothing. */
  authenticate(key: string): ApiKeyIdentity | undefined {
    const digest = sha256(key);
    let found: ApiKeyIdentity | undefined;
    for (const { digest: known, ...identity } of this.entries) if (timingSafeEqual(digest, known) && !found) found = identity;
    return found;
  }
}

/** Reads and checks API_KEYS_FILE; the error names the file and the entry, never a key. */
export function loadKeyRing(file: string): KeyRing {
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    throw new Error(`API_KEYS_FILE=${file} cannot be read as JSON: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  const parsed = keyFile.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(file)'}: ${i.message}`).join('; ');
    throw new Error(`API_KEYS_FILE=${file} is not a valid key file (a JSON array of { name, key | sha256, scopes }): ${problems}`);
  }
  return new KeyRing(parsed.data);
}

/** Where `npm start` keeps the key file it creates when API_KEYS_FILE is unset. */
export const defaultKeyFile = (dataDir: string) => path.join(dataDir, 'api-keys.json');

/** A new random key: a recognisable prefix, then 32 random bytes. */
export const newApiKey = () => `atlas_${randomBytes(32).toString('base64url')}`;

/** Creates `file` (mode 0600) with one all-scopes key named `name` unless it exists; returns the key it wrote, or undefined. */
export function createKeyFileIfMissing(file: string, name = 'analyst'): string | undefined {
  const key = newApiKey();
  const entries: ApiKeyEntry[] = [{ name, key, scopes: [...SCOPES] }];
  fs.mkdirSync(path.dirname(file), { recursive: true });
  try {
    fs.writeFileSync(file, `${JSON.stringify(entries, null, 2)}\n`, { flag: 'wx', mode: 0o600 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return undefined;
    throw err;
  }
  return key;
}

/** The SHA-256 (hex) of a key: what to store in the file instead of the key in clear. */
export const keyDigest = (key: string) => sha256(key).toString('hex');
