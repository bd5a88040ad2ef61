import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { DOMAINS, type Domain } from '../../common/core/domain';
import { envSchema } from '../../common/platform/config';
import { fromRoot } from '../../common/platform/paths';

/**
 * Keeps Dockerfile and docker-compose.yml true to how the services run (common/config.ts, the entry
 * points under dist/). Nothing is built or started: no docker engine is needed.
 *
 * - Dockerfile and .dockerignore: always checked (plain text).
 * - docker-compose.yml as written: checked when a YAML parser is already installed (js-yaml, which
 *   arrives with jest; it is deliberately not a dependency of this project).
 * - `docker-compose config` (the file as Compose resolves it: anchors, merges, defaults): checked when
 *   `docker-compose` is on PATH. v2 prints JSON (`--format json`); v1 only prints YAML.
 */

const COMPOSE_FILE = fromRoot('docker-compose.yml');
const DOCKERFILE = fromRoot('Dockerfile');
const DOCKERIGNORE = fromRoot('.dockerignore');

const ENV_NAMES = new Set(Object.keys(envSchema.shape));
const DEFAULTS = envSchema.parse({});
const SUBGRAPH_PORT: Record<Domain, number> = {
  identity: DEFAULTS.IDENTITY_PORT,
  finance: DEFAULTS.FINANCE_PORT,
  infrastructure: DEFAULTS.INFRASTRUCTURE_PORT,
};
const PORT_VARIABLE: Record<Domain, string> = {
  identity: 'IDENTITY_PORT',
  finance: 'FINANCE_PORT',
  infrastructure: 'INFRASTRUCTURE_PORT',
};
const URL_VARIABLE: Record<Domain, string> = {
  identity: 'IDENTITY_URL',
  finance: 'FINANCE_URL',
  infrastructure: 'INFRASTRUCTURE_URL',
};
const SERVICES = ['postgres', 'seed', ...DOMAINS, 'gateway'];
/** The services that run this project's image (and so read envSchema). */
const ATLAS_SERVICES = ['seed', ...DOMAINS, 'gateway'];
const ENTRY: Record<string, string> = {
  seed: 'dist/scripts/seed.js',
  identity: 'dist/subgraphs/identity/index.js',
  finance: 'dist/subgraphs/finance/index.js',
  infrastructure: 'dist/subgraphs/infrastructure/index.js',
  gateway: 'dist/gateway/index.js',
};

// ---------------------------------------------------------------------------------------------
// optional tools

type YamlParse = (text: string) => unknown;

function findYamlParser(): YamlParse | undefined {
  try {
    // Whatever YAML parser node_modules already has (js-yaml comes with jest); no dependency is added for it.
    const yaml = require('js-yaml') as { load(text: string): unknown };
    return (text) => yaml.load(text);
  } catch {
    return undefined;
  }
}

function run(command: string, args: string[]): { status: number | null; stdout: string; stderr: string; missing: boolean } {
  // The file requires GATEWAY_SECRET (no default secret ships with it): give Compose one to resolve.
  const env = { ...process.env, GATEWAY_SECRET: process.env.GATEWAY_SECRET ?? 'compose-test-secret-0123456789abcdef' };
  const r = spawnSync(command, args, { cwd: fromRoot(), encoding: 'utf8', timeout: 30_000, env });
  const missing = (r.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT';
  return { status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '', missing };
}

const parseYaml = findYamlParser();
const composeVersion = run('docker-compose', ['version', '--short']);
const hasDockerCompose = !composeVersion.missing && composeVersion.status === 0;

// ---------------------------------------------------------------------------------------------
// one normalised model for the raw file, v1's YAML and v2's JSON

interface Port {
  hostIp?: string;
  published?: number;
  target: number;
}

interface Service {
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

function normalise(document: unknown): Record<string, Service> {
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
        for (const [key, v] of Object.entries(asRecord(s.environment))) environment[key] = v === null ? '' : String(v);
      }
      const dependsOn: Record<string, string> = {};
      if (Array.isArray(s.depends_on)) for (const d of s.depends_on as string[]) dependsOn[d] = 'service_started';
      else for (const [d, v] of Object.entries(asRecord(s.depends_on))) dependsOn[d] = String(asRecord(v).condition ?? 'service_started');
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
          restart: s.restart === undefined ? undefined : String(s.restart),
        } satisfies Service,
      ];
    }),
  );
}

/** `dist/x/y.js` → `x/y.ts`, and the top folder must be one the build (tsconfig.build.json) compiles. */
function sourceOf(distPath: string): string {
  expect(distPath).toMatch(/^dist\/.+\.js$/);
  const source = distPath.replace(/^dist\//, '').replace(/\.js$/, '.ts');
  const build = JSON.parse(fs.readFileSync(fromRoot('tsconfig.build.json'), 'utf8')) as { include: string[] };
  expect(build.include).toContain(source.split('/')[0]);
  return source;
}

function expectEntryPoint(distPath: string): void {
  const source = sourceOf(distPath);
  expect(fs.existsSync(fromRoot(source))).toBe(true);
  // dist/ is built by `npm test`'s pretest; when it exists, the compiled file must be there too.
  if (fs.existsSync(fromRoot('dist'))) expect(fs.existsSync(fromRoot(distPath))).toBe(true);
}

function healthcheckScript(service: Service): string {
  expect(service.healthcheck).toBeDefined();
  expect(service.healthcheck!.disabled).toBe(false);
  return service.healthcheck!.test.join(' ');
}

// ---------------------------------------------------------------------------------------------
// the checks, run against every view of the compose file that is available

function composeChecks(load: () => Record<string, Service>): void {
  let services: Record<string, Service>;
  beforeAll(() => {
    services = load();
  });

  it('defines exactly postgres, seed, the three subgraphs and the gateway', () => {
    expect(Object.keys(services).sort()).toEqual([...SERVICES].sort());
  });

  it('runs Postgres >= 15 (UNIQUE NULLS NOT DISTINCT) on a volume, with a pg_isready healthcheck', () => {
    const pg = services.postgres;
    const major = Number(/^postgres:(\d+)/.exec(pg.image ?? '')?.[1]);
    expect(major).toBeGreaterThanOrEqual(15);
    expect(pg.volumes.some((v) => v.endsWith(':/var/lib/postgresql/data') || v.includes(':/var/lib/postgresql/data:'))).toBe(true);
    expect(healthcheckScript(pg)).toContain('pg_isready');
  });

  it('uses only variables that common/config.ts reads', () => {
    for (const name of ATLAS_SERVICES) {
      const unknown = Object.keys(services[name].environment).filter((key) => !ENV_NAMES.has(key));
      expect({ service: name, unknown }).toEqual({ service: name, unknown: [] });
    }
  });

  it('runs every atlas service from the one image, with an entry point that the build produces', () => {
    const images = new Set(ATLAS_SERVICES.map((name) => services[name].image));
    expect(images.size).toBe(1);
    for (const name of ATLAS_SERVICES) {
      const { command } = services[name];
      expect(command[0]).toBe('node');
      expect(command[1]).toBe(ENTRY[name]);
      expectEntryPoint(command[1]);
    }
  });

  it('points the seed job, the subgraphs and the gateway at the postgres service, and binds the services to 0.0.0.0', () => {
    for (const name of ['seed', ...DOMAINS, 'gateway']) {
      const url = new URL(services[name].environment.DATABASE_URL);
      expect(url.protocol).toMatch(/^postgres(ql)?:$/);
      expect(url.hostname).toBe('postgres');
      expect(url.username).toBe(services.postgres.environment.POSTGRES_USER);
      expect(url.password).toBe(services.postgres.environment.POSTGRES_PASSWORD);
      expect(url.pathname).toBe(`/${services.postgres.environment.POSTGRES_DB}`);
      expect(() => envSchema.parse(services[name].environment)).not.toThrow();
    }
    for (const name of [...DOMAINS, 'gateway']) expect(services[name].environment.HOST).toBe('0.0.0.0');
  });

  it('seeds once, after Postgres is healthy, and never restarts the seed job', () => {
    expect(services.seed.dependsOn).toEqual({ postgres: 'service_healthy' });
    expect(services.seed.restart).toBe('no');
  });

  it.each(DOMAINS)('%s: default port, not published (only the gateway is), /ready healthcheck, started after the seed job', (domain) => {
    const s = services[domain];
    const port = SUBGRAPH_PORT[domain];
    expect(Number(s.environment[PORT_VARIABLE[domain]] ?? port)).toBe(port);
    expect(s.ports).toEqual([]);
    // The subgraphs check the gateway's signature with the same secret the gateway signs with.
    expect(s.environment.GATEWAY_SECRET).toBeTruthy();
    expect(s.environment.GATEWAY_SECRET).toBe(services.gateway.environment.GATEWAY_SECRET);
    const probe = healthcheckScript(s);
    expect(probe).toContain(`http://127.0.0.1:${port}/ready`);
    expect(probe).not.toMatch(/\bcurl\b|\bwget\b/);
    expect(s.dependsOn).toEqual({ seed: 'service_completed_successfully' });
  });

  it('gateway: subgraph URLs by service name and default port, port 4000 published, healthcheck, waits for healthy subgraphs', () => {
    const g = services.gateway;
    for (const domain of DOMAINS) {
      const url = new URL(g.environment[URL_VARIABLE[domain]]);
      expect(url.hostname).toBe(domain);
      expect(Object.keys(services)).toContain(url.hostname);
      expect(Number(url.port)).toBe(SUBGRAPH_PORT[domain]);
      expect(url.pathname).toBe('/graphql');
      expect(g.dependsOn[domain]).toBe('service_healthy');
    }
    expect(Number(g.environment.PORT ?? DEFAULTS.PORT)).toBe(DEFAULTS.PORT);
    expect(g.ports).toContainEqual(expect.objectContaining({ target: DEFAULTS.PORT, published: DEFAULTS.PORT }));
    expect(healthcheckScript(g)).toMatch(new RegExp(`http://127\\.0\\.0\\.1:${DEFAULTS.PORT}/(ready|health)`));
    const supergraph = g.environment.SUPERGRAPH_PATH ?? DEFAULTS.SUPERGRAPH_PATH;
    expect(fs.existsSync(fromRoot(supergraph))).toBe(true);
  });
}

// ---------------------------------------------------------------------------------------------

describe('docker-compose.yml as written (static, YAML parser)', () => {
  if (!parseYaml) {
    console.warn('SKIPPED static docker-compose.yml checks: no YAML parser (js-yaml) in node_modules');
    it.skip('needs a YAML parser in node_modules (js-yaml)', () => {});
    return;
  }
  composeChecks(() => normalise(parseYaml(fs.readFileSync(COMPOSE_FILE, 'utf8'))));

  it('shares build/env/healthcheck settings through x- extension fields instead of repeating them', () => {
    const raw = fs.readFileSync(COMPOSE_FILE, 'utf8');
    expect(raw).toMatch(/^x-[\w-]+: &[\w-]+/m);
    expect((raw.match(/<<: \*/g) ?? []).length).toBeGreaterThanOrEqual(DOMAINS.length);
  });
});

describe('docker-compose config (the file as Compose resolves it)', () => {
  if (!hasDockerCompose) {
    console.warn('SKIPPED `docker-compose config` checks: docker-compose is not on PATH (e.g. apt-get install docker-compose)');
    it.skip('needs docker-compose on PATH', () => {});
    return;
  }

  it('validates (`docker-compose -f docker-compose.yml config -q`)', () => {
    const r = run('docker-compose', ['-f', 'docker-compose.yml', 'config', '-q']);
    expect({ status: r.status, stderr: r.stderr.trim() }).toEqual({ status: 0, stderr: '' });
  });

  // v1 answers an unknown --format with its help text (on stderr) and exit code 0: trust only JSON on stdout.
  const json = run('docker-compose', ['-f', 'docker-compose.yml', 'config', '--format', 'json']);
  if (json.status === 0 && json.stdout.trim().startsWith('{')) {
    composeChecks(() => normalise(JSON.parse(json.stdout)));
    return;
  }
  // Compose v1 (Debian's 1.29) has no --format: parse its YAML output.
  if (!parseYaml) {
    console.warn(`SKIPPED resolved-config checks: docker-compose ${composeVersion.stdout.trim()} prints YAML only and no YAML parser is installed`);
    it.skip('needs --format json (Compose v2) or a YAML parser', () => {});
    return;
  }
  composeChecks(() => {
    const r = run('docker-compose', ['-f', 'docker-compose.yml', 'config']);
    expect(r.status).toBe(0);
    return normalise(parseYaml(r.stdout));
  });
});

// ---------------------------------------------------------------------------------------------

interface Instruction {
  op: string;
  args: string;
  stage: number;
}

/** Dockerfile instructions with continuation lines joined and comments dropped; `stage` counts FROMs. */
function readDockerfile(): Instruction[] {
  const lines = fs.readFileSync(DOCKERFILE, 'utf8').split('\n');
  const out: Instruction[] = [];
  let buffer = '';
  let stage = -1;
  for (const line of lines) {
    if (/^\s*#/.test(line)) continue;
    buffer += line.replace(/\\\s*$/, ' ');
    if (/\\\s*$/.test(line)) continue;
    const text = buffer.trim();
    buffer = '';
    if (!text) continue;
    const [, op, args] = /^(\w+)\s+([\s\S]*)$/.exec(text) ?? [];
    if (!op) continue;
    if (op.toUpperCase() === 'FROM') stage += 1;
    out.push({ op: op.toUpperCase(), args: args.trim(), stage });
  }
  return out;
}

describe('Dockerfile and .dockerignore (static)', () => {
  const instructions = readDockerfile();
  const lastStage = Math.max(...instructions.map((i) => i.stage));
  const runtime = instructions.filter((i) => i.stage === lastStage);
  const jsonForm = (args: string) => JSON.parse(args) as string[];
  const args: Record<string, string> = {};
  for (const i of instructions.filter((x) => x.op === 'ARG' && x.stage === -1)) {
    const [key, value] = i.args.split('=');
    args[key] = value;
  }
  const resolve = (text: string) => text.replace(/\$\{(\w+)\}|\$(\w+)/g, (_, a: string, b: string) => args[a ?? b] ?? '');

  it('builds on node:24-bookworm-slim in several stages and installs with npm install', () => {
    const froms = instructions.filter((i) => i.op === 'FROM').map((i) => resolve(i.args).split(/\s+/)[0]);
    expect(froms.length).toBeGreaterThanOrEqual(2);
    for (const image of froms) expect(image).toBe('node:24-bookworm-slim');
    const runs = instructions.filter((i) => i.op === 'RUN').map((i) => i.args);
    expect(runs.some((r) => /npm install\b/.test(r) && !/--omit=dev/.test(r))).toBe(true);
    expect(runs.some((r) => /npm run build/.test(r))).toBe(true);
    expect(runs.some((r) => /npm (install|prune)\b.*--omit=dev/.test(r))).toBe(true);
    expect(runs.some((r) => /\bnpm ci\b/.test(r))).toBe(false);
  });

  it('runtime stage: non-root node user, production, 0.0.0.0, and only variables common/config.ts reads', () => {
    expect(runtime.filter((i) => i.op === 'USER').map((i) => i.args)).toEqual(['node']);
    const env: Record<string, string> = {};
    for (const i of runtime.filter((x) => x.op === 'ENV')) {
      for (const [, key, value] of i.args.matchAll(/(\w+)=("[^"]*"|\S+)/g)) env[key] = value.replace(/^"|"$/g, '');
    }
    expect(env).toMatchObject({ NODE_ENV: 'production', HOST: '0.0.0.0' });
    for (const key of Object.keys(env)) expect(ENV_NAMES).toContain(key);
  });

  it('runtime stage carries dist/, schema/, seeds/, package.json and production node_modules', () => {
    const copies = runtime.filter((i) => i.op === 'COPY').map((i) => i.args);
    const copied = (what: RegExp) => copies.some((c) => what.test(c));
    expect(copied(/--from=\S+\s+\/app\/dist\s/)).toBe(true);
    expect(copied(/--from=\S+\s+\/app\/node_modules\s/)).toBe(true);
    expect(copied(/^schema\s/)).toBe(true);
    expect(copied(/^seeds\s/)).toBe(true);
    expect(copied(/\bpackage\.json\b/)).toBe(true);
    // The gateway's default SUPERGRAPH_PATH is inside schema/.
    expect(DEFAULTS.SUPERGRAPH_PATH.startsWith('schema/')).toBe(true);
    expect(fs.existsSync(fromRoot(DEFAULTS.SUPERGRAPH_PATH))).toBe(true);
  });

  it('copies from the build context only paths that exist and that .dockerignore lets through', () => {
    const ignored = fs
      .readFileSync(DOCKERIGNORE, 'utf8')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('#') && !l.startsWith('!'));
    for (const i of instructions.filter((x) => x.op === 'COPY' && !/--from=/.test(x.args))) {
      const parts = i.args.split(/\s+/).filter((p) => !p.startsWith('--'));
      for (const source of parts.slice(0, -1)) {
        expect(fs.existsSync(fromRoot(source))).toBe(true);
        expect(ignored).not.toContain(source.split('/')[0]);
      }
    }
  });

  it('.dockerignore keeps dependencies, build output, local data and git out of the context', () => {
    const entries = fs
      .readFileSync(DOCKERIGNORE, 'utf8')
      .split('\n')
      .map((l) => l.trim());
    for (const entry of ['node_modules', 'dist', '.data', '.git', 'coverage', '.env']) expect(entries).toContain(entry);
  });

  it('default CMD runs an entry point that the build produces', () => {
    const cmds = runtime.filter((i) => i.op === 'CMD');
    expect(cmds).toHaveLength(1);
    const cmd = jsonForm(cmds[0].args);
    expect(cmd[0]).toBe('node');
    expectEntryPoint(cmd[1]);
  });

  it('documents every entry point the image can run, each of which the build produces', () => {
    const text = fs.readFileSync(DOCKERFILE, 'utf8');
    for (const entry of Object.values(ENTRY)) {
      expect(text).toContain(`node ${entry}`);
      expectEntryPoint(entry);
    }
  });

  it('HEALTHCHECK probes /health with node fetch (no curl in the slim image) on each process’s default port', () => {
    const checks = runtime.filter((i) => i.op === 'HEALTHCHECK');
    expect(checks).toHaveLength(1);
    const probe = checks[0].args.replace(/^(--\S+\s+)*CMD\s+/, '');
    const script = jsonForm(probe).join(' ');
    expect(script).toContain('fetch(');
    expect(script).toContain('/health');
    expect(script).not.toMatch(/\bcurl\b|\bwget\b/);
    for (const domain of DOMAINS) {
      expect(script).toContain(`subgraphs/${domain}/`);
      expect(script).toContain(`${PORT_VARIABLE[domain]}||${SUBGRAPH_PORT[domain]}`);
    }
    expect(script).toContain(`PORT||${DEFAULTS.PORT}`);
  });
});
