import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigError, environment, envSchema, loadConfig } from '../../common/platform/config';
import { fromRoot } from '../../common/platform/paths';

describe('config', () => {
  it('has working defaults for a fresh clone', () => {
    const config = loadConfig({});
    expect(config.gatewayPort).toBe(4000);
    expect(config.subgraphs.identity).toEqual({ port: 4001, url: 'http://127.0.0.1:4001/graphql' });
    expect(config.subgraphs.finance.port).toBe(4002);
    expect(config.subgraphs.infrastructure.port).toBe(4003);
    expect(config.supergraphPath).toBe(fromRoot('schema/supergraph.graphql'));
    expect(config.dataDir).toBe(fromRoot('.data'));
    expect(config.databaseUrl).toBeUndefined();
    expect(config.migrateOnStart).toBe(true);
  });

  it('takes overrides, and subgraph URLs follow their ports unless set', () => {
    const config = loadConfig({ PORT: '5000', FINANCE_PORT: '5002', INFRASTRUCTURE_URL: 'http://infra:9000/graphql', SEED_ON_START: 'false' });
    expect(config.gatewayPort).toBe(5000);
    expect(config.subgraphs.finance.url).toBe('http://127.0.0.1:5002/graphql');
    expect(config.subgraphs.infrastructure.url).toBe('http://infra:9000/graphql');
    expect(config.seedOnStart).toBe(false);
  });

  it('refuses bad values and names every bad variable', () => {
    let error: unknown;
    try {
      loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', MIGRATE_ON_START: 'maybe' });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as ConfigError).message;
    expect(message).toMatch(/PORT="eighty"/);
    expect(message).toMatch(/DATABASE_URL="mysql:\/\/x": must be a postgres/);
    expect(message).toMatch(/MIGRATE_ON_START="maybe"/);
    expect((error as ConfigError).problems).toHaveLength(3);
  });

  it('treats empty variables as unset', () => {
    expect(loadConfig({ DATABASE_URL: '', PORT: ' ' }).gatewayPort).toBe(4000);
  });

  it('.env.example lists exactly the variables the code reads, with their defaults', () => {
    const example = fs.readFileSync(fromRoot('.env.example'), 'utf8');
    const listed = [...example.matchAll(/^#?\s*([A-Z][A-Z0-9_]+)=/gm)].map((m) => m[1]);
    expect([...listed].sort()).toEqual(Object.keys(envSchema.shape).sort());
    const defaults = loadConfig({});
    expect(example).toMatch(new RegExp(`^#?\\s*PORT=${defaults.gatewayPort}$`, 'm'));
    expect(example).toMatch(/^#?\s*EMBEDDED_POSTGRES_PORT=54329$/m);
  });

  it('reads a .env file under the environment: set variables win, the file fills the rest', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'atlas-env-'));
    const file = path.join(dir, '.env');
    fs.writeFileSync(file, '# comment\nPORT=4100\nLOG_LEVEL=debug\n');
    const saved = process.env.PORT;
    process.env.PORT = '4200';
    try {
      const config = loadConfig(environment(file));
      expect(config.gatewayPort).toBe(4200);
      expect(config.logLevel).toBe('debug');
      expect(environment(path.join(dir, 'missing'))).toBe(process.env);
    } finally {
      if (saved === undefined) delete process.env.PORT;
      else process.env.PORT = saved;
      fs.rmSync(dir, { recursive: true });
    }
  });
});
