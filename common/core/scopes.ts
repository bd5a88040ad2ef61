import type { RequestContext } from './context';
import { DOMAINS, type Domain } from './domain';
import { ErrorCode, userError } from './errors';

/** What a key may do: read one domain's figures, or administer (import, audit). */
export const SCOPES = [...DOMAINS, 'admin'] as const;
export type Scope = (typeof SCOPES)[number];

export function hasScope(ctx: Pick<RequestContext, 'scopes'>, scope: Scope): boolean {
  return ctx.scopes.includes(scope);
}

/** Refuses (FORBIDDEN) a read, filter or sort on a domain the caller may not see; `what` says which argument or field. */
export function requireDomainScope(ctx: Pick<RequestContext, 'scopes'>, domain: Domain, what: string): void {
  if (!hasScope(ctx, domain)) throw userError(ErrorCode.FORBIDDEN, `${what} needs the ${domain} scope, which this caller does not have`);
}
