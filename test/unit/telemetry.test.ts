import { fromRoot } from '../../common/platform/paths';
import { childEnv, runNode } from '../helpers/processes';

/** Tracing costs nothing when OTEL_EXPORTER_OTLP_ENDPOINT is unset: not one OpenTelemetry module is loaded. */
describe('telemetry registration', () => {
  const loaded = async (env: Record<string, string>) => {
    const script = `require(${JSON.stringify(fromRoot('dist/common/platform/telemetry-register.js'))});
      console.log(Object.keys(require.cache).filter((k) => k.includes('@opentelemetry')).length);
      process.exit(0);`;
    const run = await runNode(['-e', script], childEnv(env));
    expect(run.stderr).toBe('');
    return Number(run.stdout.trim());
  };

  it('loads no OpenTelemetry module without OTEL_EXPORTER_OTLP_ENDPOINT', async () => {
    expect(await loaded({ OTEL_EXPORTER_OTLP_ENDPOINT: '' })).toBe(0);
  });

  it('loads the SDK and its instrumentations with it', async () => {
    expect(await loaded({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:9' })).toBeGreaterThan(10);
  });
});
