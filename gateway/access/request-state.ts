import type { Response } from 'express';
import type { DocumentNode } from 'graphql';
import type { ApiKeyIdentity } from '../../common/platform/security/api-keys';

/** What the gateway learns about one request on its way through (res.locals.access), read by the audit when it ends. */
export interface RequestState {
  requestId: string;
  startedAt: number;
  caller?: ApiKeyIdentity;
  operationName?: string | null;
  /** The parsed document (gateway/access/operation.ts): undefined until parsed, null when absent or unparsable. */
  document?: DocumentNode | null;
  domains: Set<string>;
  errorCodes: Set<string>;
}

export function requestState(res: Response): RequestState {
  return res.locals.access as RequestState;
}
