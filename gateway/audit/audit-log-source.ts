import type { GraphQLDataSource, GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { graphql, type GraphQLSchema } from 'graphql';
import { ErrorCode } from '../../common/core/errors';
import { AuditLogService } from '../../common/data/gateway/audit-log.service';
import type { GatewayRepository } from '../../common/data/gateway/gateway.repository';
import { buildAdminSchema, type AdminContext } from '../../common/graph/admin/audit-log.graph';
import type { RequestState } from '../access/request-state';

/**
 * The admin subgraph (Query.auditLog), run inside the gateway on the gateway's own schema: the query planner
 * sends it its part of a plan like any subgraph's, but there is no port to reach it by, so it needs no signature.
 * The caller the gateway authenticated becomes its context, and `@Authorized('admin')` checks it again there.
 */
type Context = { requestId?: string; access?: RequestState };

export class AuditLogSource implements GraphQLDataSource<Context> {
  private constructor(private readonly schema: GraphQLSchema) {}

  static async create(repository: GatewayRepository): Promise<AuditLogSource> {
    return new AuditLogSource(await buildAdminSchema(new AuditLogService(repository)));
  }

  async process(options: GraphQLDataSourceProcessOptions<Context>): ReturnType<GraphQLDataSource<Context>['process']> {
    const { request } = options;
    // Health checks and schema loads carry no request context (the gateway sends neither to this source).
    const context = options.context as Context;
    const caller = context.access?.caller;
    const contextValue: AdminContext = {
      requestId: context.requestId ?? '',
      caller: caller ? { kind: 'partner', name: caller.name } : { kind: 'anonymous', name: 'anonymous' },
      scopes: caller ? caller.scopes : [],
    };
    const result = await graphql({
      schema: this.schema,
      source: request.query ?? '',
      variableValues: request.variables,
      operationName: request.operationName,
      contextValue,
    });
    // As a remote subgraph (Apollo Server) would answer: errors in their JSON form, codes kept; an error of the request
    // itself (a variable or literal the scalar refuses, e.g. `since: "yesterday"`) is the caller's: BAD_USER_INPUT.
    const errors = result.errors?.map((e) =>
      e.path || e.extensions.code ? e.toJSON() : { ...e.toJSON(), extensions: { ...e.extensions, code: ErrorCode.BAD_USER_INPUT } },
    );
    return { data: result.data, errors };
  }
}
