/** The Dockerfile and docker-compose.yml as the docker tests read them: paths, expected values, one normalised compose model. */
import fs from 'node:fs';
import { DOMAINS, type Domain } from '../../common/core/domain';
import { envSchema } from '../../common/platform/config';
import { fromRoot } from '../../common/platform/paths';

export const COMPOSE_FILE = fromRoot('docker-compose.yml');
export const DOCKERFILE = fromRoot('Dockerfile');
export const DOCKERIGNORE = fromRoot('.dockerignore');

export const ENV_NAMES = new Set(Object.keys(envSchema.shape));
export const DEFAULTS = envSchema.parse({});
export const SUBGRAPH_PORT: Record<Domain, number> = {
  identity: DEFAULTS.IDENTITY_PORT,
  finance: DEFAULTS.FINANCE_PORT,
  infrastructure: DEFAULTS.INFRASTRUCTURE_PORT,
};
export const PORT_VARIABLE: Record<Domain, string> = {
  identity: 'IDENTITY_PORT',
  finance: 'FINANCE_PORT',
  infrastructure: 'INFRASTRUCTURE_PORT',
};
export const URL_VARIABLE: Record<Domain, string> = {
  identity: 'IDENTITY_URL',
  finance: 'FINANCE_URL',
  infrastructure: 'INFRASTRUCTURE_URL',
};
export const SERVICES = ['postgres', 'seed', ...DOMAINS, 'gateway'];
/** The services that run this project's image (and so read envSchema). */
export const ATLAS_SERVICES = ['seed', ...DOMAINS, 'gateway'];
export const ENTRY: Record<string, string> = {
  seed: 'dist/scripts/seed.js',
  identity: 'dist/subgraphs/identity/index.js',
  finance: 'dist/subgraphs/finance/index.js',
  infrastructure: 'dist/subgraphs/infrastructure/index.js',
  gateway: 'dist/gateway/index.js',
};

// ---------------------------------------------------------------------------------------------
// one normalised model for the raw file, v1's YAML and v2's JSON

export interface Port {
  hostIp?: string;
  published?: number;
  target: number;
}

export interface Service {
  name: string;
  image?: string;
  build?: unknown;
  command: string[];
  environment: Record<string, string>;
  ports: Port[];
  volumes: string[];
  healthcheck?: { test: string[]; disabled: boolean };
  dependsOn: Record<string, string>;
  restart?: string;
}

type Raw = Record<string, unknown>;

const asRecord = (v: unknown): Raw => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Raw) : {});
/** A YAML scalar as Compose reads it (8080, "8080" and true are all text to it); anything else as JSON, so a mistake shows. */
const scalar = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : JSON.stringify(v));

function parsePort(entry: unknown): Port {
  if (typeof entry === 'number') return { target: entry };
  if (typeof entry === 'string') {
    const parts = entry.replace(/\/(tcp|udp)$/, '').split(':');
    const target = Number(parts.pop());
    const published = parts.length ? Number(parts.pop()) : undefined;
    return { target, published, hostIp: parts.length ? parts.join(':') : undefined };
  }
  const p = asRecord(entry);
  return {
    target: Number(p.target),
    published: p.published === undefined || p.published === '' ? undefined : Number(p.published),
    hostIp: typeof p.host_ip === 'string' ? p.host_ip : undefined,
  };
}

export function normalise(document: unknown): Record<string, Service> {
  const services = asRecord(asRecord(document).services);
  return Object.fromEntries(
    Object.entries(services).map(([name, value]) => {
      const s = asRecord(value);
      const environment: Record<string, string> = {};
      if (Array.isArray(s.environment)) {
        for (const item of s.environment as string[]) {
          const [key, ...rest] = String(item).split('=');
          environment[key] = rest.join('=');
        }
      } else {
        for (const [key, v] of Object.entries(asRecord(s.environment))) environment[key] = v === null ? '' : scalar(v);
      }
      const dependsOn: Record<string, string> = {};
      if (Array.isArray(s.depends_on)) for (const d of s.depends_on as string[]) dependsOn[d] = 'service_started';
      else for (const [d, v] of Object.entries(asRecord(s.depends_on))) dependsOn[d] = scalar(asRecord(v).condition ?? 'service_started');
      const hc = s.healthcheck === undefined ? undefined : asRecord(s.healthcheck);
      const test =
        hc === undefined ? [] : typeof hc.test === 'string' ? ['CMD-SHELL', hc.test] : ((hc.test as string[] | undefined) ?? []).map(String);
      const command = typeof s.command === 'string' ? s.command.trim().split(/\s+/) : ((s.command as unknown[] | undefined) ?? []).map(String);
      const volumes = ((s.volumes as unknown[] | undefined) ?? []).map((v) =>
        typeof v === 'string' ? v : `${String(asRecord(v).source)}:${String(asRecord(v).target)}`,
      );
      return [
        name,
        {
          name,
          image: typeof s.image === 'string' ? s.image : undefined,
          build: s.build,
          command,
          environment,
          ports: ((s.ports as unknown[] | undefined) ?? []).map(parsePort),
          volumes,
          healthcheck: hc && { test, disabled: hc.disable === true || test[0] === 'NONE' },
          dependsOn,
          restart: s.restart === undefined ? undefined : scalar(s.restart),
        } satisfies Service,
      ];
    }),
  );
}

/** `dist/x/y.js` → `x/y.ts`, and the top folder must be one the build (tsconfig.build.json) compiles. */
export function sourceOf(distPath: string): string {
  expect(distPath).toMatch(/^dist\/.+\.js$/);
  const source = distPath.replace(/^dist\//, '').replace(/\.js$/, '.ts');
  const build = JSON.parse(fs.readFileSync(fromRoot('tsconfig.build.json'), 'utf8')) as { include: string[] };
  expect(build.include).toContain(source.split('/')[0]);
  return source;
}

export function expectEntryPoint(distPath: string): void {
  const source = sourceOf(distPath);
  expect(fs.existsSync(fromRoot(source))).toBe(true);
  // dist/ is built by `npm test`'s pretest; when it exists, the compiled file must be there too.
  if (fs.existsSync(fromRoot('dist'))) expect(fs.existsSync(fromRoot(distPath))).toBe(true);
}

export function healthcheckScript(service: Service): string {
  expect(service.healthcheck).toBeDefined();
  expect(service.healthcheck!.disabled).toBe(false);
  return service.healthcheck!.test.join(' ');
}
