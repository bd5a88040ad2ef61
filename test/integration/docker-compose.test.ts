import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import { DOMAINS } from '../../common/core/domain';
import { envSchema } from '../../common/platform/config';
import { fromRoot } from '../../common/platform/paths';
import {
  ATLAS_SERVICES,
  COMPOSE_FILE,
  DEFAULTS,
  ENTRY,
  ENV_NAMES,
  expectEntryPoint,
  healthcheckScript,
  normalise,
  PORT_VARIABLE,
  type Service,
  SERVICES,
  SUBGRAPH_PORT,
  URL_VARIABLE,
} from './docker.fixtures';

/**
 * Keeps Dockerfile and docker-compose.yml true to how the services run (common/config.ts, the entry
 * points under dist/). Nothing is built or started: no docker engine is needed.
 *
 * - Dockerfile and .dockerignore: dockerfile.test.ts (plain text, always checked).
 * - docker-compose.yml as written: checked when a YAML parser is already installed (js-yaml, which
 *   arrives with jest; it is deliberately not a dependency of this project).
 * - `docker-compose config` (the file as Compose resolves it: anchors, merges, defaults): checked when
 *   `docker-compose` is on PATH. v2 prints JSON (`--format json`); v1 only prints YAML.
 */

// ---------------------------------------------------------------------------------------------
// optional tools

type YamlParse = (text: string) => unknown;

function findYamlParser(): YamlParse | undefined {
  try {
    // Whatever YAML parser node_modules already has (js-yaml comes with jest); optional and untyped, so loaded by name, not imported.
    const yaml = createRequire(__filename)('js-yaml') as { load(text: string): unknown };
    return (text) => yaml.load(text);
  } catch {
    return undefined;
  }
}

function run(command: string, args: string[]): { status: number | null; stdout: string; stderr: string; missing: boolean } {
  // The file requires GATEWAY_SECRET (no default secret ships with it): give Compose one to resolve.
  const env = { ...process.env, GATEWAY_SECRET: process.env.GATEWAY_SECRET ?? 'compose-test-secret-0123456789abcdef' };
  const r = spawnSync(command, args, { cwd: fromRoot(), encoding: 'utf8', timeout: 30_000, env });
  const missing = r.error !== undefined && 'code' in r.error && r.error.code === 'ENOENT';
  return { status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '', missing };
}

const parseYaml = findYamlParser();
const composeVersion = run('docker-compose', ['version', '--short']);
const hasDockerCompose = !composeVersion.missing && composeVersion.status === 0;

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
