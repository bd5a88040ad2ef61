import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Logger } from '../logger';
import { REQUEST_ID_HEADER } from './request-id';

/** What a connection pool holds right now (pg: totalCount, idleCount, waitingCount). */
export interface PoolStats {
  total: number;
  idle: number;
  waiting: number;
}

// Label values come from clients (paths, operation names): bounded so a scanner cannot grow the registry without end.
const MAX_OPERATIONS = 200;
const OPERATION_NAME = /^[A-Za-z_][\w]{0,99}$/;
const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
/** Paths logged at debug, not info: probes and scrapes every few seconds would drown the request log. */
const PROBES = new Set(['/health', '/ready', '/metrics']);

/**
 * One service's Prometheus metrics (a registry of its own, so several services in one test process never mix):
 * HTTP requests and latency per route, GraphQL operations, latency and errors per operation, connection pool
 * usage, and at the gateway each subgraph's fetches. Served as text at GET /metrics.
 */
export class ServiceMetrics {
  readonly registry = new Registry();
  private readonly operations = new Set<string>();
  private readonly httpRequests: Counter<'route' | 'method' | 'status'>;
  private readonly httpDuration: Histogram<'route' | 'method' | 'status'>;
  private readonly graphqlOperations: Counter<'operation' | 'outcome'>;
  private readonly graphqlDuration: Histogram<'operation'>;
  private readonly graphqlErrors: Counter<'operation' | 'code'>;
  private readonly subgraphRequests: Counter<'subgraph' | 'outcome'>;
  private readonly subgraphDuration: Histogram<'subgraph'>;
  private readonly subgraphErrors: Counter<'subgraph' | 'code'>;
  private readonly pools = new Map<string, () => PoolStats>();

  constructor(
    readonly service: string,
    /** The paths that get a route label of their own; any other path counts as "other". */
    private readonly routes: string[],
  ) {
    this.registry.setDefaultLabels({ service });
    collectDefaultMetrics({ register: this.registry, prefix: 'atlas_' });
    const registers = [this.registry];
    this.httpRequests = new Counter({
      name: 'atlas_http_requests_total',
      help: 'HTTP requests answered, by route, method and status',
      labelNames: ['route', 'method', 'status'],
      registers,
    });
    this.httpDuration = new Histogram({
      name: 'atlas_http_request_duration_seconds',
      help: 'HTTP request latency, by route, method and status',
      labelNames: ['route', 'method', 'status'],
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.graphqlOperations = new Counter({
      name: 'atlas_graphql_operations_total',
      help: 'GraphQL operations, by operation name and outcome (ok, or error when the answer carries errors)',
      labelNames: ['operation', 'outcome'],
      registers,
    });
    this.graphqlDuration = new Histogram({
      name: 'atlas_graphql_operation_duration_seconds',
      help: 'GraphQL operation latency, by operation name',
      labelNames: ['operation'],
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.graphqlErrors = new Counter({
      name: 'atlas_graphql_errors_total',
      help: 'GraphQL errors sent to clients, by operation name and error code',
      labelNames: ['operation', 'code'],
      registers,
    });
    this.subgraphRequests = new Counter({
      name: 'atlas_subgraph_requests_total',
      help: 'Gateway fetches to each subgraph, by outcome (ok, graphql_error, http_error, failed: no answer)',
      labelNames: ['subgraph', 'outcome'],
      registers,
    });
    this.subgraphDuration = new Histogram({
      name: 'atlas_subgraph_request_duration_seconds',
      help: 'Gateway fetch latency, by subgraph',
      labelNames: ['subgraph'],
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.subgraphErrors = new Counter({
      name: 'atlas_subgraph_errors_total',
      help: 'GraphQL errors in subgraph answers, by subgraph and error code',
      labelNames: ['subgraph', 'code'],
      registers,
    });
    const pools = this.pools;
    new Gauge({
      name: 'atlas_db_pool_connections',
      help: 'Database pool connections, by pool and state (total open, idle, waiting: requests queued for a connection)',
      labelNames: ['pool', 'state'],
      registers,
      collect() {
        for (const [pool, read] of pools) {
          const stats = read();
          this.set({ pool, state: 'total' }, stats.total);
          this.set({ pool, state: 'idle' }, stats.idle);
          this.set({ pool, state: 'waiting' }, stats.waiting);
        }
      },
    });
  }

  /** Reports a connection pool at every scrape. */
  observePool(pool: string, read: () => PoolStats): void {
    this.pools.set(pool, read);
  }

  /** Counts and times every HTTP request, and logs it (with its request id) once answered. */
  httpMiddleware(log: Logger): RequestHandler {
    return (req: Request, res: Response, next: NextFunction) => {
      const started = process.hrtime.bigint();
      res.once('finish', () => {
        const seconds = Number(process.hrtime.bigint() - started) / 1e9;
        const path = req.originalUrl.split('?')[0];
        const route = this.routes.find((r) => path === r || path.startsWith(`${r}/`)) ?? 'other';
        const labels = { route, method: req.method, status: String(res.statusCode) };
        this.httpRequests.inc(labels);
        this.httpDuration.observe(labels, seconds);
        const requestId = res.getHeader(REQUEST_ID_HEADER);
        const entry = { requestId, method: req.method, path, status: res.statusCode, ms: Math.round(seconds * 10_000) / 10 };
        if (PROBES.has(path)) log.debug(entry, 'request');
        else log.info(entry, 'request');
      });
      next();
    };
  }

  /** Operations, their latency and their errors by code. */
  graphqlPlugin<C extends BaseContext>(): ApolloServerPlugin<C> {
    return {
      requestDidStart: () => {
        const started = process.hrtime.bigint();
        return Promise.resolve({
          willSendResponse: ({ operationName, request, response }) => {
            const operation = this.operationLabel(operationName ?? request.operationName);
            const errors = response.body.kind === 'single' ? (response.body.singleResult.errors ?? []) : [];
            this.graphqlOperations.inc({ operation, outcome: errors.length ? 'error' : 'ok' });
            this.graphqlDuration.observe({ operation }, Number(process.hrtime.bigint() - started) / 1e9);
            for (const error of errors) this.graphqlErrors.inc({ operation, code: codeOf(error.extensions) });
            return Promise.resolve();
          },
        });
      },
    };
  }

  /** Times one gateway → subgraph fetch (retries included) and counts its outcome. */
  async timeSubgraph<T extends { status: number }>(subgraph: string, fetch: () => Promise<T>): Promise<T> {
    const end = this.subgraphDuration.startTimer({ subgraph });
    try {
      const result = await fetch();
      this.subgraphRequests.inc({ subgraph, outcome: result.status < 400 ? 'ok' : 'http_error' });
      return result;
    } catch (err) {
      this.subgraphRequests.inc({ subgraph, outcome: 'failed' });
      throw err;
    } finally {
      end();
    }
  }

  /** Counts the GraphQL errors of one subgraph answer. */
  subgraphAnswered(subgraph: string, errors: ReadonlyArray<{ extensions?: Record<string, unknown> }> | undefined): void {
    if (!errors?.length) return;
    this.subgraphRequests.inc({ subgraph, outcome: 'graphql_error' });
    for (const error of errors) this.subgraphErrors.inc({ subgraph, code: codeOf(error.extensions) });
  }

  /** GET /metrics: the Prometheus text format. */
  handler(): RequestHandler {
    return (_req: Request, res: Response, next: NextFunction) => {
      this.registry.metrics().then((text) => {
        res.setHeader('content-type', this.registry.contentType);
        res.send(text);
      }, next);
    };
  }

  private operationLabel(name: string | null | undefined): string {
    if (!name || !OPERATION_NAME.test(name)) return 'anonymous';
    if (this.operations.has(name)) return name;
    if (this.operations.size >= MAX_OPERATIONS) return 'other';
    this.operations.add(name);
    return name;
  }
}

function codeOf(extensions: Record<string, unknown> | undefined): string {
  const code = extensions?.code;
  return typeof code === 'string' && /^[A-Z_]{1,64}$/.test(code) ? code : 'UNKNOWN';
}
