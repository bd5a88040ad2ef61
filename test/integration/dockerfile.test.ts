import fs from 'node:fs';
import { DOMAINS } from '../../common/core/domain';
import { fromRoot } from '../../common/platform/paths';
import { DEFAULTS, DOCKERFILE, DOCKERIGNORE, ENTRY, ENV_NAMES, expectEntryPoint, PORT_VARIABLE, SUBGRAPH_PORT } from './docker.fixtures';

/** The Dockerfile and .dockerignore, read as text: nothing is built, no docker engine is needed. */

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
