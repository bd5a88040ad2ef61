import type { RequestHandler } from 'express';
import {
  execute,
  getArgumentValues,
  getOperationAST,
  Kind,
  TypeInfo,
  validate,
  visit,
  visitWithTypeInfo,
  type DocumentNode,
  type FieldNode,
  type GraphQLField,
  type GraphQLSchema,
  type SelectionSetNode,
} from 'graphql';
import { DOMAINS } from '../../common/core/domain';
import { sendGraphQLError } from '../../common/platform/server/error-response';
import type { PartnerSchemas } from './partner-schema';
import { graphqlParams, requestDocument, requestVariables } from './operation';
import { requestState } from './request-state';

const INTROSPECTION = new Set(['__schema', '__type']);

/** Root field names of an operation, through fragments. */
function rootFields(selectionSet: SelectionSetNode, document: DocumentNode, out = new Set<string>()): Set<string> {
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) out.add(selection.name.value);
    else if (selection.kind === Kind.INLINE_FRAGMENT) rootFields(selection.selectionSet, document, out);
    else {
      const fragment = document.definitions.find((d) => d.kind === Kind.FRAGMENT_DEFINITION && d.name.value === selection.name.value);
      if (fragment?.kind === Kind.FRAGMENT_DEFINITION) rootFields(fragment.selectionSet, document, out);
    }
  }
  return out;
}

/** The domains of the indicators a ranking sorts and filters by (catalogue codes begin with their domain: `identity.eid…`). */
function rankingDomains(field: GraphQLField<unknown, unknown>, node: FieldNode, variables: Record<string, unknown>): string[] {
  let args: { by?: unknown; where?: Array<{ indicator?: unknown }> | null };
  try {
    args = getArgumentValues(field, node, variables);
  } catch {
    return []; // a bad argument is refused further on, with its own error
  }
  const codes = [args.by, ...(args.where ?? []).map((w) => w.indicator)];
  return DOMAINS.filter((d) => codes.some((c) => typeof c === 'string' && c.startsWith(`${d}.`)));
}

/**
 * Domains the operation touches (for the audit): fields served by one domain's subgraph only, and the domains of the
 * indicators `rankLocalities` sorts or filters by (served by finance, it reads the others' figures).
 */
function domainsTouched(schema: GraphQLSchema, document: DocumentNode, schemas: PartnerSchemas, variables: Record<string, unknown>): Set<string> {
  const domains = new Set<string>();
  const typeInfo = new TypeInfo(schema);
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Field(node) {
        const parent = typeInfo.getParentType();
        const owners = parent ? schemas.domainsOf(parent.name, node.name.value) : new Set<string>();
        if (owners.size === 1) domains.add([...owners][0]);
        const field = typeInfo.getFieldDef();
        if (field && parent === schema.getQueryType() && node.name.value === 'rankLocalities')
          for (const domain of rankingDomains(field, node, variables)) domains.add(domain);
      },
    }),
  );
  return domains;
}

// graphql-js suggests near names ("Did you mean ...?"); drop that, so no message points at anything.
const withoutSuggestions = (message: string) => message.replace(/ Did you mean .*\?$/, '');

/**
 * Runs before Apollo: the operation is validated against the caller's schema (PartnerSchemas), so a hidden field
 * fails exactly like one that does not exist, and introspection is answered from that schema. Everything else
 * goes on to the gateway unchanged. Unparsable requests also go on: Apollo reports them as usual.
 */
export function partnerOperations(schemas: PartnerSchemas, options: { introspection: boolean } = { introspection: true }): RequestHandler {
  return (req, res, next) => {
    const state = requestState(res);
    const params = graphqlParams(req);
    const document = requestDocument(req, state);
    if (!state.caller || !document) return next();
    const operationName = typeof params.operationName === 'string' ? params.operationName : undefined;
    const operation = getOperationAST(document, operationName);
    state.operationName = operation?.name?.value ?? operationName ?? null;
    const schema = schemas.forScopes(state.caller.scopes);
    // A caller who may read every domain sees the whole API schema: Apollo validates it (with the hardening rules).
    const whole = schemas.isWhole(schema);
    const errors = whole ? [] : validate(schema, document);
    if (errors.length) {
      state.errorCodes.add('GRAPHQL_VALIDATION_FAILED');
      res.status(400).json({
        errors: errors.map((e) => ({
          message: withoutSuggestions(e.message),
          locations: e.locations,
          extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
        })),
      });
      return;
    }
    for (const domain of domainsTouched(schema, document, schemas, requestVariables(req))) state.domains.add(domain);
    const roots = operation ? rootFields(operation.selectionSet, document) : new Set<string>();
    const introspective = [...roots].filter((f) => INTROSPECTION.has(f));
    // Where introspection is off (production), Apollo refuses it for every caller alike.
    if (whole || !introspective.length || !options.introspection) return next();
    if ([...roots].some((f) => !f.startsWith('__'))) {
      state.errorCodes.add('BAD_USER_INPUT');
      return sendGraphQLError(res, 400, 'BAD_USER_INPUT', 'Ask __schema and __type in an operation of their own, without data fields.');
    }
    Promise.resolve(execute({ schema, document, operationName, variableValues: requestVariables(req) })).then(
      (result) => res.status(200).json(result),
      next,
    );
  };
}
