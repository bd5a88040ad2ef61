import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { DOMAINS } from '../../common/core/domain';

/** Set by test/global-setup.ts: the embedded cluster's maintenance URL and the seeded template database. */
export function adminUrl(): string {
  const url = process.env.TEST_ADMIN_URL;
  if (!url) throw new Error('TEST_ADMIN_URL is not set: run the tests through jest (global setup starts Postgres)');
  return url;
}

export function urlFor(database: string): string {
  const u = new URL(adminUrl());
  u.pathname = `/${database}`;
  return u.toString();
}

export async function withClient<T>(url: string, fn: (c: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/**
 * A fresh database for one test file: a copy of the template that global setup migrated and seeded
 * (registry, catalogue, seed figures), so files never see each other's writes.
 */
export async function createTestDatabase(prefix: string, template = process.env.TEST_TEMPLATE_DB ?? 'atlas_template'): Promise<string> {
  const name = `${prefix.replace(/[^a-z0-9_]/gi, '_').toLowerCase()}_${randomBytes(4).toString('hex')}`;
  await withClient(adminUrl(), async (c) => {
    for (let attempt = 0; ; attempt++) {
      try {
        await c.query(`CREATE DATABASE ${name} TEMPLATE ${template}`);
        return;
      } catch (err) {
        // The template is briefly "in use" while another worker copies it.
        if (attempt >= 20 || !/being accessed by other users/.test(String(err))) throw err;
        await new Promise((r) => setTimeout(r, 250));
      }
    }
  });
  return urlFor(name);
}

/** An empty database (no schemas): for tests of migrations and first-time seeding. */
export async function createEmptyDatabase(prefix: string): Promise<string> {
  return createTestDatabase(prefix, 'template0');
}

export async function count(url: string, sql: string, params: unknown[] = []): Promise<number> {
  return withClient(url, async (c) => Number((await c.query<{ n: string | number }>(sql, params)).rows[0].n));
}

/** Row count and content fingerprint of one table. */
export type Fingerprint = Record<string, { n: number; fingerprint: string }>;

/**
 * Row count and a content fingerprint (every column, incl. updated_at) of observation and source in every
 * domain schema: equal before and after means nothing at all was written.
 */
export async function fingerprint(url: string): Promise<Fingerprint> {
  return withClient(url, async (c) => {
    const out: Fingerprint = {};
    for (const d of DOMAINS) {
      for (const t of ['observation', 'source']) {
        const { rows } = await c.query<{ n: number; fingerprint: string }>(
          `SELECT count(*)::int AS n, coalesce(md5(string_agg(x::text, '|' ORDER BY x.id)), '') AS fingerprint FROM "${d}".${t} x`,
        );
        out[`${d}.${t}`] = rows[0];
      }
    }
    return out;
  });
}

/** Just the row counts of a fingerprint. */
export const rowCounts = (f: Fingerprint) => Object.fromEntries(Object.entries(f).map(([k, v]) => [k, v.n]));
