import { createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';

/** The header in which the gateway forwards the authenticated caller to the subgraphs. */
export const CALLER_HEADER = 'x-atlas-caller';
/** How old a signature may be (either way, for clock skew) before a subgraph refuses it. */
export const SIGNATURE_MAX_AGE_MS = 60_000;

/** What the gateway vouches for: who called, with which scopes, for which request. */
export interface SignedCaller {
  name: string;
  scopes: string[];
  requestId: string;
}

interface Payload extends SignedCaller {
  ts: number;
  nonce: string;
}

const b64 = (buffer: Buffer | string) => Buffer.from(buffer).toString('base64url');
const mac = (secret: string, body: string) => createHmac('sha256', secret).update(body).digest();

/** `<payload>.<hmac>`: base64url JSON of the caller, a timestamp and a nonce, then HMAC-SHA256 of that text. */
export function signCaller(secret: string, caller: SignedCaller, now = Date.now()): string {
  const payload: Payload = { ...caller, ts: now, nonce: randomUUID() };
  const body = b64(JSON.stringify(payload));
  return `${body}.${b64(mac(secret, body))}`;
}

/** The caller a header names, read WITHOUT checking it: only for headers this process signed itself (the gateway). */
export function unverifiedCaller(header: string): Pick<SignedCaller, 'name' | 'scopes'> | undefined {
  try {
    const payload = JSON.parse(Buffer.from(header.split('.')[0], 'base64url').toString('utf8')) as Partial<Payload>;
    return Array.isArray(payload.scopes) ? { name: String(payload.name), scopes: payload.scopes.map(String) } : undefined;
  } catch {
    return undefined;
  }
}

export type RefusalReason = 'missing' | 'malformed' | 'bad signature' | 'stale' | 'replayed';

/** A refusal; `name` is the signed caller's when the HMAC held (stale, replayed), so the audit can say whose signature it was. */
export type Verification = { ok: true; caller: SignedCaller } | { ok: false; reason: RefusalReason; name?: string };

/** How a subgraph's audit records each refusal: a code saying why, and a key name when no signed name is known (never the header). */
export const REFUSAL_AUDIT: Record<RefusalReason, { code: string; keyName: string }> = {
  missing: { code: 'SIGNATURE_MISSING', keyName: '(unsigned)' },
  malformed: { code: 'SIGNATURE_MALFORMED', keyName: '(malformed)' },
  'bad signature': { code: 'SIGNATURE_INVALID', keyName: '(forged)' },
  stale: { code: 'SIGNATURE_STALE', keyName: '(stale)' },
  replayed: { code: 'SIGNATURE_REPLAYED', keyName: '(replayed)' },
};

/**
 * Checks signatures on the subgraph side: a valid HMAC, fresh (within SIGNATURE_MAX_AGE_MS), and a nonce not
 * seen before; nonces are remembered for the freshness window, after which the timestamp alone refuses a replay.
 */
export class SignatureVerifier {
  private readonly seen = new Map<string, number>();
  private lastSweep = 0;

  constructor(
    private readonly secret: string,
    private readonly maxAgeMs = SIGNATURE_MAX_AGE_MS,
  ) {}

  verify(header: string | string[] | undefined, now = Date.now()): Verification {
    if (typeof header !== 'string' || !header) return { ok: false, reason: 'missing' };
    const [body, signature, extra] = header.split('.');
    if (!body || !signature || extra !== undefined) return { ok: false, reason: 'malformed' };
    const expected = mac(this.secret, body);
    const given = Buffer.from(signature, 'base64url');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'bad signature' };
    let payload: Payload;
    try {
      payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as Payload;
    } catch {
      return { ok: false, reason: 'malformed' };
    }
    if (typeof payload.ts !== 'number' || typeof payload.nonce !== 'string' || !Array.isArray(payload.scopes))
      return { ok: false, reason: 'malformed' };
    const name = String(payload.name);
    if (Math.abs(now - payload.ts) > this.maxAgeMs) return { ok: false, reason: 'stale', name };
    this.sweep(now);
    if (this.seen.has(payload.nonce)) return { ok: false, reason: 'replayed', name };
    this.seen.set(payload.nonce, payload.ts + this.maxAgeMs);
    return { ok: true, caller: { name, scopes: payload.scopes.map(String), requestId: String(payload.requestId) } };
  }

  /** Forgets nonces whose signatures are stale anyway (at most once a second, so verification stays O(1) on average). */
  private sweep(now: number): void {
    if (now - this.lastSweep < 1000) return;
    this.lastSweep = now;
    for (const [nonce, expires] of this.seen) if (expires < now) this.seen.delete(nonce);
  }
}

/** A new random secret (for a data dir that has none). */
export const newSecret = () => randomBytes(32).toString('base64url');
