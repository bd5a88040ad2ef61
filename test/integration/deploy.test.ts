import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { DOMAINS } from '../../common/core/domain';
import { fromRoot } from '../../common/platform/paths';
import { DEFAULTS, ENTRY, ENV_NAMES, PORT_VARIABLE, SUBGRAPH_PORT, URL_VARIABLE } from './docker.fixtures';

/**
 * The production manifests (deploy/k8s) and the compose replicas override, read as Kubernetes and Compose would:
 * kinds, selectors matching labels, ports consistent with the config defaults and the Services, probes, secrets,
 * and only the gateway reachable from outside. No cluster is needed.
 */

interface Probe {
  httpGet?: { path: string; port: string | number };
}
interface Container {
  name: string;
  image: string;
  command: string[];
  ports?: Array<{ name?: string; containerPort: number }>;
  env?: Array<{ name: string; value?: string; valueFrom?: { secretKeyRef?: { name: string; key: string } } }>;
  envFrom?: Array<{ configMapRef?: { name: string } }>;
  livenessProbe?: Probe;
  readinessProbe?: Probe;
  startupProbe?: Probe;
  resources?: { requests?: { cpu?: string; memory?: string }; limits?: { memory?: string } };
}
interface PodSpec {
  containers: Container[];
  volumes?: Array<{ name: string; secret?: { secretName: string; items?: Array<{ key: string }> } }>;
}
interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels?: Record<string, string> };
  spec?: {
    replicas?: number;
    selector?: { matchLabels?: Record<string, string> } & Record<string, string>;
    template?: { metadata: { labels: Record<string, string> }; spec: PodSpec };
    type?: string;
    ports?: Array<{ name: string; port: number; targetPort: string | number }>;
  };
  data?: Record<string, string>;
  stringData?: Record<string, string>;
}

const K8S = fromRoot('deploy/k8s');
const files = fs.readdirSync(K8S).filter((f) => f.endsWith('.yaml'));
const manifestsOf = (file: string): Manifest[] =>
  parseAllDocuments(fs.readFileSync(path.join(K8S, file), 'utf8')).map((doc) => {
    if (doc.errors.length) throw new Error(`${file}: ${doc.errors.map((e) => e.message).join('; ')}`);
    return doc.toJS() as Manifest;
  });
const kustomization = parse(fs.readFileSync(path.join(K8S, 'kustomization.yaml'), 'utf8')) as { resources: string[] };
const applied = kustomization.resources.flatMap(manifestsOf);
const secret = manifestsOf('secret.example.yaml')[0];
const config = applied.find((m) => m.kind === 'ConfigMap')!;
const of = (kind: string) => applied.filter((m) => m.kind === kind);
const deployment = (name: string) => of('Deployment').find((d) => d.metadata.name === name)!;
const container = (name: string) => deployment(name).spec!.template!.spec.containers[0];
const service = (name: string) => of('Service').find((s) => s.metadata.name === name)!;
const SERVICES = [...DOMAINS, 'gateway'];
const PORT: Record<string, number> = { ...SUBGRAPH_PORT, gateway: DEFAULTS.PORT };
const envValue = (c: Container, name: string) => c.env?.find((e) => e.name === name)?.value;

describe('deploy/k8s', () => {
  it('parses, and kustomization.yaml applies every manifest but the example Secret', () => {
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) expect(() => manifestsOf(f)).not.toThrow();
    expect([...kustomization.resources, 'kustomization.yaml', 'secret.example.yaml'].sort()).toEqual([...files].sort());
    expect(new Set(applied.map((m) => m.kind))).toEqual(new Set(['Namespace', 'ConfigMap', 'Job', 'Deployment', 'Service']));
  });

  it('has one Deployment and one Service for the gateway and each subgraph, each selector matching its pods’ labels', () => {
    expect(
      of('Deployment')
        .map((d) => d.metadata.name)
        .sort(),
    ).toEqual([...SERVICES].sort());
    expect(
      of('Service')
        .map((s) => s.metadata.name)
        .sort(),
    ).toEqual([...SERVICES].sort());
    for (const name of SERVICES) {
      const d = deployment(name);
      const labels = d.spec!.template!.metadata.labels;
      expect(labels).toMatchObject(d.spec!.selector!.matchLabels!);
      expect(labels).toMatchObject(service(name).spec!.selector!);
      // Selects this Deployment's pods and no other's.
      for (const other of SERVICES.filter((o) => o !== name)) {
        expect(deployment(other).spec!.template!.metadata.labels).not.toMatchObject(service(name).spec!.selector!);
      }
      expect(d.spec!.replicas).toBeGreaterThanOrEqual(2); // stateless: more than one from the start
    }
  });

  it('runs the compiled entry points, on the ports the config and the Services agree on', () => {
    for (const name of SERVICES) {
      const c = container(name);
      expect(c.command).toEqual(['node', ENTRY[name]]);
      expect(fs.existsSync(fromRoot(ENTRY[name]))).toBe(true);
      const http = c.ports!.find((p) => p.name === 'http')!;
      expect(http.containerPort).toBe(PORT[name]);
      expect(envValue(c, name === 'gateway' ? 'PORT' : PORT_VARIABLE[name as (typeof DOMAINS)[number]])).toBe(String(PORT[name]));
      expect(service(name).spec!.ports).toEqual([expect.objectContaining({ targetPort: 'http' })]);
    }
    for (const d of DOMAINS) {
      // The gateway finds each subgraph by its Service name and port.
      expect(config.data![URL_VARIABLE[d]]).toBe(`http://${d}:${service(d).spec!.ports![0].port}/graphql`);
    }
  });

  it('exposes only the gateway outside the cluster', () => {
    expect(service('gateway').spec!.type).toBe('LoadBalancer');
    for (const d of DOMAINS) expect(service(d).spec!.type ?? 'ClusterIP').toBe('ClusterIP');
  });

  it('probes liveness on /health and readiness on /ready (the gateway: /ready before it starts serving)', () => {
    for (const d of DOMAINS) {
      expect(container(d).livenessProbe?.httpGet).toEqual({ path: '/health', port: 'http' });
      expect(container(d).readinessProbe?.httpGet).toEqual({ path: '/ready', port: 'http' });
    }
    const g = container('gateway');
    expect(g.startupProbe?.httpGet).toEqual({ path: '/ready', port: 'http' });
    expect(g.livenessProbe?.httpGet).toEqual({ path: '/health', port: 'http' });
    expect(g.readinessProbe?.httpGet).toEqual({ path: '/health', port: 'http' });
  });

  it('sets resources, reads only variables the config knows, and takes DATABASE_URL, GATEWAY_SECRET and the keys from the Secret', () => {
    for (const key of Object.keys(config.data!)) expect(ENV_NAMES).toContain(key);
    const workloads = [...of('Deployment'), ...of('Job')];
    for (const w of workloads) {
      const c = w.spec!.template!.spec.containers[0];
      expect(c.resources?.requests?.cpu).toBeDefined();
      expect(c.resources?.requests?.memory).toBeDefined();
      expect(c.resources?.limits?.memory).toBeDefined();
      expect(c.envFrom).toEqual([{ configMapRef: { name: config.metadata.name } }]);
      for (const e of c.env ?? []) {
        expect(ENV_NAMES).toContain(e.name);
        const ref = e.valueFrom?.secretKeyRef;
        if (ref) expect(Object.keys(secret.stringData!)).toContain(ref.key);
        if (ref) expect(ref.name).toBe(secret.metadata.name);
        if (['DATABASE_URL', 'GATEWAY_SECRET'].includes(e.name)) expect(ref).toBeDefined();
      }
      expect(c.env?.some((e) => e.name === 'DATABASE_URL')).toBe(true);
    }
    for (const name of SERVICES) expect(container(name).env?.some((e) => e.name === 'GATEWAY_SECRET')).toBe(true);
    const keys = deployment('gateway').spec!.template!.spec.volumes!.find((v) => v.secret)!;
    expect(keys.secret).toEqual({ secretName: secret.metadata.name, items: [{ key: 'api-keys.json', path: 'api-keys.json' }] });
    expect(envValue(container('gateway'), 'API_KEYS_FILE')).toBe('/run/atlas/api-keys.json');
  });
});

const compose = spawnSync('docker-compose', ['-f', 'docker-compose.yml', '-f', 'deploy/compose.replicas.yml', 'config'], {
  cwd: fromRoot(),
  encoding: 'utf8',
  timeout: 30_000,
  env: { ...process.env, GATEWAY_SECRET: 'compose-test-secret-0123456789abcdef' },
});
const composeMissing = compose.error !== undefined && 'code' in compose.error && compose.error.code === 'ENOENT';
// Under CI docker-compose must be there (.ci/run installs it); locally the check is skipped without it.
const describeCompose = composeMissing && !process.env.CI ? describe.skip : describe;

describeCompose('deploy/compose.replicas.yml (docker-compose config)', () => {
  it('runs two replicas of each subgraph, and the gateway alone on its published port', () => {
    expect(compose.stderr).not.toMatch(/ERROR/);
    expect(compose.status).toBe(0);
    const resolved = parse(compose.stdout) as { services: Record<string, { deploy?: { replicas?: number }; ports?: unknown[] }> };
    for (const d of DOMAINS) {
      expect(resolved.services[d].deploy?.replicas).toBe(2);
      expect(resolved.services[d].ports ?? []).toEqual([]);
    }
    expect(resolved.services.gateway.deploy?.replicas ?? 1).toBe(1);
  });
});
