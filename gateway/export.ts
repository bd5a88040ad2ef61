import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Supergraph } from '@apollo/federation-internals';
import { HeaderMap, type ApolloServer } from '@apollo/server';
import express, { type Request, type Response, type Router } from 'express';
import type { GraphQLFormattedError } from 'graphql';
import { csvLines, exportRows } from './export-csv';
import { prepareExportQuery } from './export-query';

/** Error codes that mean "fix the request": answered 400 (FORBIDDEN 403); any other failure is the service's (502). */
const CLIENT_CODES = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'BAD_REQUEST',
  'OPERATION_RESOLUTION_FAILURE',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'UNKNOWN_LOCALITY',
  'UNKNOWN_INDICATOR',
]);

export interface CsvExportOptions<Context extends object> {
  /** The gateway's Apollo Server: the export runs through its request pipeline, like /graphql. */
  apollo: ApolloServer<Context>;
  supergraphSdl: string;
  /** The same context function as /graphql (request id now, the caller's key and scopes later). */
  context: (args: { req: Request; res: Response }) => Promise<Context>;
}

interface ExportRequest {
  query?: unknown;
  variables?: unknown;
  operationName?: unknown;
}

const first = (v: unknown) => (Array.isArray(v) ? (v[0] as unknown) : v);

/**
 * `GET /export.csv?query=…&variables=…` and `POST /export.csv` with `{ query, variables, operationName }`: the
 * result's Observations and DerivedMetrics as CSV rows. The whole operation runs before the first byte, so a bad
 * query gets a JSON error with status 400 (403, 502), never half a file.
 */
export function csvExport<Context extends object>(options: CsvExportOptions<Context>): Router {
  const schema = Supergraph.build(options.supergraphSdl).apiSchema().toGraphQLJSSchema();
  const router = express.Router();
  const fail = (res: Response, status: number, errors: readonly GraphQLFormattedError[]) => {
    res.status(status).json({ errors });
  };
  const badRequest = (res: Response, message: string) => fail(res, 400, [{ message, extensions: { code: 'BAD_REQUEST' } }]);

  const handle = async (req: Request, res: Response, input: ExportRequest) => {
    const query = first(input.query);
    if (typeof query !== 'string' || !query.trim()) return badRequest(res, 'export.csv needs a GraphQL query: POST {"query": …} or GET ?query=…');
    let variables: unknown = first(input.variables) ?? undefined;
    if (typeof variables === 'string') {
      try {
        variables = JSON.parse(variables) as unknown;
      } catch {
        return badRequest(res, 'variables must be a JSON object');
      }
    }
    if (variables !== undefined && (variables === null || typeof variables !== 'object' || Array.isArray(variables))) {
      return badRequest(res, 'variables must be a JSON object');
    }
    const operationName = first(input.operationName);
    if (operationName !== undefined && typeof operationName !== 'string') return badRequest(res, 'operationName must be a string');

    const prepared = prepareExportQuery(schema, query, operationName);
    if (prepared.kind === 'refused') return badRequest(res, prepared.message);
    const headers = new HeaderMap();
    for (const [name, value] of Object.entries(req.headers)) if (typeof value === 'string') headers.set(name, value);
    headers.delete('content-length');
    headers.set('content-type', 'application/json');
    const response = await options.apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: {
        method: 'POST',
        headers,
        search: '',
        body: { query: prepared.query, ...(variables ? { variables } : {}), ...(operationName ? { operationName } : {}) },
      },
      context: () => options.context({ req, res }),
    });
    if (response.body.kind !== 'complete') return badRequest(res, 'export.csv cannot stream incremental (@defer) results');
    const result = JSON.parse(response.body.string) as { data?: Record<string, unknown> | null; errors?: GraphQLFormattedError[] };
    if (result.errors?.length || !result.data) {
      const errors = result.errors ?? [];
      const codes = errors.map((e) => (typeof e.extensions?.code === 'string' ? e.extensions.code : ''));
      return fail(res, codes.some((c) => CLIENT_CODES.has(c)) ? 400 : codes.includes('FORBIDDEN') ? 403 : 502, errors);
    }

    const name =
      ((prepared.kind === 'export' ? prepared.operationName : undefined) ?? 'atlas-export').replace(/[^A-Za-z0-9_-]/g, '') || 'atlas-export';
    res.status(200);
    res.setHeader('content-type', 'text/csv; charset=utf-8');
    res.setHeader('content-disposition', `attachment; filename="${name}.csv"`);
    res.setHeader('cache-control', 'no-store');
    await pipeline(Readable.from(csvLines(exportRows(result.data as never))), res);
  };

  router.get('/', (req, res, next) => {
    handle(req, res, req.query).catch(next);
  });
  router.post('/', express.json({ limit: '1mb' }), (req, res, next) => {
    const body: unknown = req.body;
    if (!body || typeof body !== 'object') return badRequest(res, 'POST export.csv a JSON body {"query", "variables", "operationName"}');
    handle(req, res, body as ExportRequest).catch(next);
  });
  router.use((err: { type?: string }, _req: Request, res: Response, next: (err: unknown) => void) => {
    if (res.headersSent) return next(err); // mid-stream (the client went away): express closes the connection
    if (err.type === 'entity.parse.failed' || err.type === 'entity.too.large') return badRequest(res, `the JSON body cannot be read (${err.type})`);
    fail(res, 500, [{ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }]);
  });
  return router;
}
