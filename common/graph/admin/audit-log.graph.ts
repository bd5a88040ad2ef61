import { buildSubgraphSchema } from '@apollo/subgraph';
import { printSchemaWithDirectives } from '@graphql-tools/utils';
import { DateTimeISOResolver } from 'graphql-scalars';
import { parse, type GraphQLSchema } from 'graphql';
import { Args, ArgsType, Authorized, Field, Int, ObjectType, Query, Resolver, buildSchema, createResolversMap } from 'type-graphql';
import type { RequestContext } from '../../core/context';
import { PageInfo } from '../../core/locality/locality.type';
import { AUDIT_PAGE_DEFAULT, AUDIT_PAGE_MAX, type AuditLogPage, type AuditLogService } from '../../data/gateway/audit-log.service';
import { scopeAuthChecker } from '../auth-checker';
import { FEDERATION_LINK } from '../build-subgraph-schema';

/** The fourth subgraph's name in the supergraph: the gateway serves it in process, over its own schema (docs/architecture.md). */
export const ADMIN_SUBGRAPH = 'admin';
/** Written into the supergraph for completeness; the gateway never fetches it (it runs the admin schema in process). */
export const ADMIN_SUBGRAPH_URL = 'http://gateway.internal/admin';

/** What the admin subgraph's resolvers know of a request: the caller the gateway authenticated, no loaders. */
export type AdminContext = Pick<RequestContext, 'requestId' | 'caller' | 'scopes'>;

@ObjectType('AuditEntry', {
  description: 'One request through the gateway, or one refused at a subgraph, as the audit recorded it (never the key itself).',
})
class AuditEntry {
  @Field(() => DateTimeISOResolver, { description: 'When the request arrived.' })
  at!: Date;

  @Field({ description: 'The request id (x-request-id), as in the logs.' })
  requestId!: string;

  @Field(() => String, {
    nullable: true,
    description:
      "The key's name from the key file; null when no known key was sent (401). At a subgraph: the signed caller's name, or (unsigned), (malformed), (forged).",
  })
  keyName!: string | null;

  @Field(() => String, { nullable: true, description: 'The operation name, when the request named one.' })
  operationName!: string | null;

  @Field(() => [String], { description: 'Domains (and admin) whose fields the operation selected.' })
  domains!: string[];

  @Field(() => Int, { description: 'Time to the response, in milliseconds.' })
  durationMs!: number;

  @Field(() => Int, { description: 'HTTP status of the response (401, 429, 400 for a refused request).' })
  status!: number;

  @Field(() => [String], {
    description:
      'Codes of the errors answered (UNAUTHENTICATED, FORBIDDEN, RATE_LIMITED, ...; a subgraph adds why: SIGNATURE_MISSING, SIGNATURE_INVALID, ...).',
  })
  errorCodes!: string[];

  @Field({ description: "Who recorded it: 'gateway' (every request), or '<domain> subgraph' for a direct call that subgraph refused (401)." })
  source!: string;
}

@ObjectType('AuditLogConnection', { description: 'A page of the audit trail, newest first.' })
class AuditLogConnection {
  @Field(() => [AuditEntry])
  nodes!: AuditEntry[];

  @Field(() => PageInfo)
  pageInfo!: PageInfo;
}

@ArgsType()
class AuditLogArgs {
  @Field(() => DateTimeISOResolver, { nullable: true, description: 'Only requests at or after this time (ISO 8601).' })
  since?: Date | null;

  @Field(() => String, { nullable: true, description: "Only requests of the key with this name (the key file's `name`)." })
  key?: string | null;

  @Field(() => Int, { nullable: true, defaultValue: AUDIT_PAGE_DEFAULT, description: `Page size, 1 to ${AUDIT_PAGE_MAX}.` })
  first?: number | null;

  @Field(() => String, { nullable: true, description: 'pageInfo.endCursor of the previous page.' })
  after?: string | null;
}

@Resolver()
class AuditLogResolver {
  constructor(private readonly audit: AuditLogService) {}

  @Authorized('admin')
  @Query(() => AuditLogConnection, { description: "The gateway's audit trail, newest first, keyset-paged. Needs the admin scope." })
  auditLog(@Args() args: AuditLogArgs): Promise<AuditLogPage> {
    return this.audit.list(args);
  }
}

/** The admin subgraph's schema (type-graphql → @apollo/subgraph, as the domains'); `audit` may be omitted for the SDL only. */
export async function buildAdminSchema(audit?: AuditLogService): Promise<GraphQLSchema> {
  const resolver = new AuditLogResolver(audit as AuditLogService);
  const schema = await buildSchema({
    resolvers: [AuditLogResolver],
    container: { get: () => resolver },
    skipCheck: true,
    validate: false,
    authChecker: scopeAuthChecker,
  });
  return buildSubgraphSchema({
    typeDefs: parse(`${FEDERATION_LINK}\n\n${printSchemaWithDirectives(schema)}`),
    resolvers: createResolversMap(schema) as never,
  });
}
