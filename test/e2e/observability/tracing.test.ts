import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createTestDatabase } from '../../helpers/database';
import { killLeftovers, spawnGateway, spawnSubgraph, type ServiceProcess } from '../../helpers/services';
import { graphql, startStack, type Stack } from '../../helpers/stack';
import { eventually, within } from '../../helpers/wait';

/**
 * OpenTelemetry across processes: a gateway and a finance subgraph process with OTEL_EXPORTER_OTLP_ENDPOINT set export
 * OTLP/HTTP JSON to a receiver in this test; the gateway's spans and finance's share one trace id (W3C traceparent).
 */

interface OtlpExport {
  resourceSpans?: Array<{
    resource?: { attributes?: Array<{ key: string; value: { stringValue?: string } }> };
    scopeSpans?: Array<{ scope?: { name?: string }; spans?: Array<{ traceId: string; name: string }> }>;
  }>;
}
interface Span {
  service: string;
  scope: string;
  traceId: string;
  name: string;
}

describe('tracing with OTEL_EXPORTER_OTLP_ENDPOINT', () => {
  const spans: Span[] = [];
  const receiver = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      if (req.method === 'POST' && req.url === '/v1/traces') {
        const exported = JSON.parse(body) as OtlpExport;
        for (const rs of exported.resourceSpans ?? []) {
          const service = rs.resource?.attributes?.find((a) => a.key === 'service.name')?.value.stringValue ?? '';
          for (const ss of rs.scopeSpans ?? [])
            for (const s of ss.spans ?? []) spans.push({ service, scope: ss.scope?.name ?? '', traceId: s.traceId, name: s.name });
        }
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  let stack: Stack;
  let finance: ServiceProcess | undefined;
  let gateway: (ServiceProcess & { cleanup(): void }) | undefined;

  beforeAll(async () => {
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const otel = {
      OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`,
      OTEL_BSP_SCHEDULE_DELAY: '100', // export within 0.1 s instead of 5 s
      METRICS_ENABLED: 'false', // checked below too: these processes serve no /metrics
    };
    const databaseUrl = await createTestDatabase('tracing');
    stack = await startStack(databaseUrl);
    finance = await spawnSubgraph('finance', databaseUrl, stack.gatewaySecret, otel);
    gateway = await spawnGateway(databaseUrl, stack.gatewaySecret, { ...stack.subgraphUrls, finance: finance.url }, otel);
  });
  afterAll(async () => {
    killLeftovers([gateway, finance]);
    gateway?.cleanup();
    await stack?.stop();
    await new Promise((resolve) => receiver.close(resolve));
  });

  it('gives the gateway and the subgraph it calls one trace, down to the SQL', async () => {
    const body = await graphql<{ locality: { name: string; finance: { observationCount: number } } }>(
      gateway!.url,
      'query Traced { locality(code: "116") { name finance { observationCount } } }',
    );
    expect(body.errors).toBeUndefined();
    const scopes = (traceId: string, service: string) =>
      new Set(spans.filter((s) => s.traceId === traceId && s.service === service).map((s) => s.scope));
    // The server span of each process ends last (after its answer): wait for the whole trace, not its first spans.
    const complete = (traceId: string) =>
      ['http', 'express', 'graphql', 'undici'].every((i) => scopes(traceId, 'atlas-gateway').has(`@opentelemetry/instrumentation-${i}`)) &&
      ['http', 'express', 'graphql', 'pg'].every((i) => scopes(traceId, 'atlas-finance').has(`@opentelemetry/instrumentation-${i}`));
    const traceId = await eventually(
      () => Promise.resolve([...new Set(spans.map((s) => s.traceId))].find(complete)),
      30_000,
      'one trace with the spans of the gateway (http, express, graphql, undici) and finance (http, express, graphql, pg)',
      100,
    );
    expect(traceId).toMatch(/^[0-9a-f]{32}$/);
    // Probes are not traced. METRICS_ENABLED=false: no /metrics on either process.
    await fetch(gateway!.url.replace('/graphql', '/health'));
    for (const url of [gateway!.url, finance!.url]) expect((await fetch(url.replace('/graphql', '/metrics'))).status).toBe(404);

    // SIGTERM still exits cleanly (spans flushed on the way out).
    for (const s of [gateway!, finance!]) {
      s.proc.child.kill('SIGTERM');
      expect(await within(s.proc.exited(), 20_000, 'a traced service to exit', () => s.proc.output())).toEqual({ code: 0, signal: null });
    }
    expect(spans.some((s) => /health/.test(s.name))).toBe(false);
  });
});
