import path from 'node:path';
import type * as SdkNode from '@opentelemetry/sdk-node';
import type * as OtlpHttp from '@opentelemetry/exporter-trace-otlp-http';
import type * as HttpInst from '@opentelemetry/instrumentation-http';
import type * as ExpressInst from '@opentelemetry/instrumentation-express';
import type * as GraphQLInst from '@opentelemetry/instrumentation-graphql';
import type * as PgInst from '@opentelemetry/instrumentation-pg';
import type * as UndiciInst from '@opentelemetry/instrumentation-undici';
import { envSchema, environment } from './config';

// Type-only imports: erased from the build, so nothing of OpenTelemetry loads while tracing is off.
let sdk: SdkNode.NodeSDK | undefined;

/**
 * OpenTelemetry tracing when OTEL_EXPORTER_OTLP_ENDPOINT is set: spans of incoming HTTP, Express, GraphQL, pg and
 * outgoing fetch (gateway → subgraph, with W3C traceparent), exported as OTLP/HTTP JSON to `<endpoint>/v1/traces`.
 * Unset: nothing of OpenTelemetry is even loaded. Must run before http, express, graphql and pg are first required
 * (instrumentation patches them on require), hence `telemetry-register.ts`, imported first by each entry point.
 */
export function startTelemetry(service: string, env: NodeJS.ProcessEnv = environment()): boolean {
  const endpoint = envSchema.shape.OTEL_EXPORTER_OTLP_ENDPOINT.safeParse(env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim() || undefined);
  // A bad value is not reported here: loadConfig() names it and the service refuses to start.
  if (!endpoint.success || !endpoint.data || sdk) return false;
  /* eslint-disable @typescript-eslint/no-require-imports -- loaded only when tracing is on, and synchronously, before the modules it patches */
  const { NodeSDK, resources } = require('@opentelemetry/sdk-node') as typeof SdkNode;
  const { OTLPTraceExporter } = require('@opentelemetry/exporter-trace-otlp-http') as typeof OtlpHttp;
  const { HttpInstrumentation } = require('@opentelemetry/instrumentation-http') as typeof HttpInst;
  const { ExpressInstrumentation } = require('@opentelemetry/instrumentation-express') as typeof ExpressInst;
  const { GraphQLInstrumentation } = require('@opentelemetry/instrumentation-graphql') as typeof GraphQLInst;
  const { PgInstrumentation } = require('@opentelemetry/instrumentation-pg') as typeof PgInst;
  const { UndiciInstrumentation } = require('@opentelemetry/instrumentation-undici') as typeof UndiciInst;
  /* eslint-enable @typescript-eslint/no-require-imports */
  sdk = new NodeSDK({
    resource: resources.resourceFromAttributes({ 'service.name': `atlas-${service}`, 'service.namespace': 'vn-digital-atlas' }),
    traceExporter: new OTLPTraceExporter({ url: `${endpoint.data.replace(/\/+$/, '')}/v1/traces` }),
    instrumentations: [
      // Probes and scrapes every few seconds would bury the traces that matter.
      new HttpInstrumentation({ ignoreIncomingRequestHook: (req) => /^\/(health|ready|metrics)\b/.test(req.url ?? '') }),
      new ExpressInstrumentation(),
      // One span per resolver would be thousands for a list: operations and their parse/validate/execute only.
      new GraphQLInstrumentation({ ignoreTrivialResolveSpans: true, depth: 2 }),
      new PgInstrumentation(),
      new UndiciInstrumentation(),
    ],
  });
  sdk.start();
  return true;
}

/** The service name from the entry script's folder: dist/gateway/index.js → gateway, dist/subgraphs/identity/index.js → identity. */
export function serviceOfEntry(entry: string | undefined = require.main?.filename): string {
  return entry ? path.basename(path.dirname(entry)) : 'unknown';
}

/** Sends the spans still buffered (a stopping service); a no-op when tracing is off. */
export async function flushTelemetry(): Promise<void> {
  await sdk?.shutdown().catch(() => undefined);
}
