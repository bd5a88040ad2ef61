import { randomBytes } from 'node:crypto';
import {
  Kind,
  OperationTypeNode,
  TypeInfo,
  parse,
  print,
  validate,
  visit,
  visitWithTypeInfo,
  getOperationAST,
  type DocumentNode,
  type FieldNode,
  type GraphQLSchema,
} from 'graphql';

/** Aliases the export adds start with this; a client's query may not use it (they would clash). */
export const EXPORT_ALIAS_PREFIX = '_csv_';

/**
 * The aliases the export adds: the reserved prefix and a random token of this process, so the gateway's alias limit can
 * leave exactly these uncounted (EXPORT_ALIASES) without a /graphql client being able to name them to get round it.
 */
export const ADDED_ALIAS_PREFIX = `${EXPORT_ALIAS_PREFIX}${randomBytes(6).toString('hex')}_`;

/**
 * What the export adds to every selection of a row type (and of Locality, for the row's locality name), under
 * `_csv_` aliases: a query selects what it likes and the CSV still has every column.
 */
const ADDED_FIELDS: Record<string, string> = {
  Locality: 'code name',
  Observation:
    'localityCode indicator { code name unit } value qualifier numerator numeratorQualifier denominator denominatorQualifier period { start end label } source { title titleSupplied url publisher }',
  DerivedMetric:
    'code name formula value qualifier period { start end label } periodsDiffer reason inputs { role value qualifier period { start end label } }',
};

/** `_csv_kind: __typename` plus each added field under `_csv_<field>`, parsed once. */
const ADDED_SELECTIONS: Record<string, readonly FieldNode[]> = Object.fromEntries(
  Object.entries(ADDED_FIELDS).map(([type, fields]) => {
    const operation = parse(`{ __typename ${fields} }`).definitions[0];
    if (operation.kind !== Kind.OPERATION_DEFINITION) throw new Error('unreachable');
    const selections = (operation.selectionSet.selections as FieldNode[]).map((field): FieldNode => ({
      ...field,
      alias: { kind: Kind.NAME, value: `${ADDED_ALIAS_PREFIX}${field.name.value === '__typename' ? 'kind' : field.name.value}` },
    }));
    return [type, selections];
  }),
);

/** Every alias the export adds: the alias limit counts the client's aliases, not these (gateway/hardening.ts). */
export const EXPORT_ALIASES: readonly string[] = [
  ...new Set(Object.values(ADDED_SELECTIONS).flatMap((selections) => selections.map((field) => field.alias!.value))),
];

/** The row types the export finds in a result, by `_csv_kind`. */
export const ROW_TYPES = ['Observation', 'DerivedMetric'] as const;

export type PreparedQuery =
  /** Valid: the query to execute instead, with the export's fields added. */
  | { kind: 'export'; query: string; operationName: string | undefined }
  /** Not parseable or not valid: execute the client's own text, so the gateway reports the errors as /graphql would. */
  | { kind: 'as-is'; query: string }
  /** Valid GraphQL the export refuses, with the message for the client. */
  | { kind: 'refused'; message: string };

/** Checks a client's query against the API schema and adds the fields every CSV row needs. */
export function prepareExportQuery(schema: GraphQLSchema, query: string, operationName?: string): PreparedQuery {
  let document: DocumentNode;
  try {
    document = parse(query);
  } catch {
    return { kind: 'as-is', query };
  }
  if (validate(schema, document).length > 0) return { kind: 'as-is', query };
  const operation = getOperationAST(document, operationName);
  if (!operation) return { kind: 'as-is', query }; // several operations and no (or a wrong) operationName: the gateway says which
  if (operation.operation !== OperationTypeNode.QUERY)
    return { kind: 'refused', message: `the export runs queries only, not a ${operation.operation}` };
  let reserved: string | undefined;
  visit(document, {
    Field(node) {
      if (node.alias?.value.startsWith(EXPORT_ALIAS_PREFIX)) reserved ??= node.alias.value;
    },
  });
  if (reserved) return { kind: 'refused', message: `alias "${reserved}": aliases starting with ${EXPORT_ALIAS_PREFIX} are reserved by the export` };

  const typeInfo = new TypeInfo(schema);
  const withExportFields = visit(
    document,
    visitWithTypeInfo(typeInfo, {
      SelectionSet(node) {
        const added = ADDED_SELECTIONS[typeInfo.getParentType()?.name ?? ''];
        return added ? { ...node, selections: [...node.selections, ...added] } : undefined;
      },
    }),
  );
  return { kind: 'export', query: print(withExportFields), operationName: operation.name?.value };
}
