import type { Response } from 'express';

/** A refusal before GraphQL runs (401, 403, 429), shaped like a GraphQL response so clients read one format. */
export function sendGraphQLError(res: Response, status: number, code: string, message: string, headers: Record<string, string> = {}): void {
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  res.status(status).json({ errors: [{ message, extensions: { code } }] });
}
