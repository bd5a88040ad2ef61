/** The operation name of a request refused before it was parsed: the `operationName` parameter or the first named operation. */
export function operationNameOf(body: unknown): string | null {
  const params = (body ?? {}) as { operationName?: unknown; query?: unknown };
  if (typeof params.operationName === 'string') return params.operationName;
  const named = typeof params.query === 'string' ? /^\s*(?:query|mutation|subscription)\s+([_A-Za-z]\w*)/.exec(params.query) : null;
  return named?.[1] ?? null;
}
