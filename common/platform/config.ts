import fs from 'node:fs';
import path from 'node:path';
import { parseEnv } from 'node:util';
import { z } from 'zod';
import { PROJECT_ROOT } from './paths';
import type { DatabaseTimeouts } from './database/faults';

import { DOMAINS, type Domain } from '../core/domain';
export { DOMAINS, type Domain };

const port = (fallback: number) => z.coerce.number().int().min(0).max(65535).default(fallback);
const flag = (fallback: boolean) =>
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no'])
    .default(fallback ? 'true' : 'false')
    .transform((v) => v === 'true' || v === '1' || v === 'yes');
const url = z.string().url();

/** Every variable the services read. `.env.example` mirrors this list; a test keeps the two in step. */
export const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  LOG_FORMAT: z.enum(['json', 'pretty']).optional(),
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: port(4000),
  IDENTITY_PORT: port(4001),
  FINANCE_PORT: port(4002),
  INFRASTRUCTURE_PORT: port(4003),
  IDENTITY_URL: url.optional(),
  FINANCE_URL: url.optional(),
  INFRASTRUCTURE_URL: url.optional(),
  SUPERGRAPH_PATH: z.string().min(1).default('schema/supergraph.graphql'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
    .optional(),
  DATA_DIR: z.string().min(1).default('.data'),
  EMBEDDED_POSTGRES_PORT: port(54329),
  DB_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  DB_CONNECT_TIMEOUT_MS: z.coerce.number().int().min(100).max(60000).default(3000),
  DB_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(100).max(600000).default(15000),
  MIGRATE_ON_START: flag(true),
  SEED_ON_START: flag(true),
  SEEDS_DIR: z.string().min(1).default('seeds'),
  SEED_SCALE_PERIODS: z.coerce.number().int().min(1).max(8).default(8),
  READY_TIMEOUT_MS: z.coerce.number().int().min(50).max(60000).default(2000),
  SUBGRAPH_TIMEOUT_MS: z.coerce.number().int().min(100).max(120000).default(5000),
  SUBGRAPH_DEDUPLICATION: flag(true),
  API_KEYS_FILE: z.string().min(1).optional(),
  GATEWAY_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  CORS_ORIGINS: z
    .string()
    .regex(/^(https?:\/\/[^\s,/]+)(\s*,\s*https?:\/\/[^\s,/]+)*$/, 'must be a comma-separated list of origins (scheme://host[:port])')
    .optional(),
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(0).default(600),
  RATE_LIMIT_COST_PER_MINUTE: z.coerce.number().int().min(0).default(1_000_000),
  AUDIT_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(90),
  RESTART_BACKOFF_MS: z.coerce.number().int().min(10).max(60000).default(500),
  RESTART_LIMIT: z.coerce.number().int().min(1).max(1000).default(5),
  RESTART_WINDOW_MS: z.coerce.number().int().min(1000).max(86_400_000).default(60000),
  METRICS_ENABLED: flag(true),
  OTEL_EXPORTER_OTLP_ENDPOINT: url.optional(),
});

export type Env = z.infer<typeof envSchema>;

export interface Config {
  env: Env['NODE_ENV'];
  logLevel: Env['LOG_LEVEL'];
  host: string;
  gatewayPort: number;
  subgraphs: Record<Domain, { port: number; url: string }>;
  supergraphPath: string;
  databaseUrl: string | undefined;
  dataDir: string;
  embeddedPostgresPort: number;
  dbPoolSize: number;
  /** Subgraphs' and gateway's database bounds: wait for a connection, run one statement (a stopped database is an error, not a hang). */
  dbTimeouts: DatabaseTimeouts;
  migrateOnStart: boolean;
  seedOnStart: boolean;
  seedsDir: string;
  /** Quarters of synthetic figures `npm run seed:scale` writes (1–8, the last ones of 2023-Q3 … 2025-Q2). */
  seedScalePeriods: number;
  readyTimeoutMs: number;
  subgraphTimeoutMs: number;
  /** The gateway shares one subgraph fetch among identical queries of the same caller in flight (gateway/fetch-dedupe.ts). */
  subgraphDeduplication: boolean;
  /** API_KEYS_FILE; unset = `npm start` creates DATA_DIR/api-keys.json. */
  apiKeysFile: string | undefined;
  /** GATEWAY_SECRET; unset = generated once per data dir (common/platform/security/secret-file.ts). */
  gatewaySecret: string | undefined;
  corsOrigins: string[];
  /** Requests per key and minute (0 = no limit); a key file entry's requestsPerMinute overrides it. */
  rateLimitPerMinute: number;
  /** Estimated query cost per key and minute (0 = no limit); a key file entry's costPerMinute overrides it. */
  rateLimitCostPerMinute: number;
  auditRetentionDays: number;
  /** `npm start`'s supervisor: first restart delay (doubled per crash), and how many crashes within the window it tolerates. */
  restartBackoffMs: number;
  restartLimit: number;
  restartWindowMs: number;
  /** GET /metrics (Prometheus text) on the gateway and each subgraph. */
  metricsEnabled: boolean;
  /** OTLP/HTTP collector base URL; unset = no tracing (common/platform/telemetry.ts). */
  otlpEndpoint: string | undefined;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/**
 * The process environment over the project's `.env` file, if there is one (Node's own dotenv parser):
 * a variable set in the environment always wins over the file.
 */
export function environment(file = path.join(PROJECT_ROOT, '.env')): NodeJS.ProcessEnv {
  if (!fs.existsSync(file)) return process.env;
  return { ...parseEnv(fs.readFileSync(file, 'utf8')), ...process.env };
}

/** Parses the environment once; throws a ConfigError naming every bad variable. Empty strings count as unset. */
export function loadConfig(source: NodeJS.ProcessEnv = environment()): Config {
  const raw: Record<string, string> = {};
  for (const key of Object.keys(envSchema.shape)) {
    const value = source[key];
    if (value !== undefined && value.trim() !== '') raw[key] = value.trim();
  }
  const parsed = envSchema.safeParse(raw);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}=${JSON.stringify(raw[String(i.path[0])] ?? '')}: ${i.message}`),
    );
  }
  const e = parsed.data;
  const local = (p: number) => `http://127.0.0.1:${p}/graphql`;
  return {
    env: e.NODE_ENV,
    logLevel: e.LOG_LEVEL,
    host: e.HOST,
    gatewayPort: e.PORT,
    subgraphs: {
      identity: { port: e.IDENTITY_PORT, url: e.IDENTITY_URL ?? local(e.IDENTITY_PORT) },
      finance: { port: e.FINANCE_PORT, url: e.FINANCE_URL ?? local(e.FINANCE_PORT) },
      infrastructure: { port: e.INFRASTRUCTURE_PORT, url: e.INFRASTRUCTURE_URL ?? local(e.INFRASTRUCTURE_PORT) },
    },
    supergraphPath: path.resolve(PROJECT_ROOT, e.SUPERGRAPH_PATH),
    databaseUrl: e.DATABASE_URL,
    dataDir: path.resolve(PROJECT_ROOT, e.DATA_DIR),
    embeddedPostgresPort: e.EMBEDDED_POSTGRES_PORT,
    dbPoolSize: e.DB_POOL_SIZE,
    dbTimeouts: { connectTimeoutMs: e.DB_CONNECT_TIMEOUT_MS, statementTimeoutMs: e.DB_STATEMENT_TIMEOUT_MS },
    migrateOnStart: e.MIGRATE_ON_START,
    seedOnStart: e.SEED_ON_START,
    seedsDir: path.resolve(PROJECT_ROOT, e.SEEDS_DIR),
    seedScalePeriods: e.SEED_SCALE_PERIODS,
    readyTimeoutMs: e.READY_TIMEOUT_MS,
    subgraphTimeoutMs: e.SUBGRAPH_TIMEOUT_MS,
    subgraphDeduplication: e.SUBGRAPH_DEDUPLICATION,
    apiKeysFile: e.API_KEYS_FILE && path.resolve(PROJECT_ROOT, e.API_KEYS_FILE),
    gatewaySecret: e.GATEWAY_SECRET,
    corsOrigins: e.CORS_ORIGINS ? e.CORS_ORIGINS.split(',').map((o) => o.trim()) : [],
    rateLimitPerMinute: e.RATE_LIMIT_PER_MINUTE,
    rateLimitCostPerMinute: e.RATE_LIMIT_COST_PER_MINUTE,
    auditRetentionDays: e.AUDIT_RETENTION_DAYS,
    restartBackoffMs: e.RESTART_BACKOFF_MS,
    restartLimit: e.RESTART_LIMIT,
    restartWindowMs: e.RESTART_WINDOW_MS,
    metricsEnabled: e.METRICS_ENABLED,
    otlpEndpoint: e.OTEL_EXPORTER_OTLP_ENDPOINT,
  };
}
