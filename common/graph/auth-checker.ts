import type { AuthChecker } from 'type-graphql';
import type { RequestContext } from '../core/context';
import { DOMAINS, type Domain } from '../core/domain';
import { ErrorCode, userError } from '../core/errors';
import { requireDomainScope } from '../core/scopes';

/**
 * type-graphql's `@Authorized(scope, ...)`: the one declarative check of what a field needs. A refusal throws
 * FORBIDDEN (not type-graphql's own error), so the field is null and the error names the path and the scope.
 */
export const scopeAuthChecker: AuthChecker<Pick<RequestContext, 'scopes'>, string> = ({ context, info }, scopes) => {
  const what = `${info.parentType.name}.${info.fieldName}`;
  for (const scope of scopes) {
    if ((DOMAINS as readonly string[]).includes(scope)) requireDomainScope(context, scope as Domain, what);
    else if (!context.scopes.includes(scope))
      throw userError(ErrorCode.FORBIDDEN, `${what} needs the ${scope} scope, which this caller does not have`);
  }
  return true;
};
