import type { ApolloServerPlugin } from '@apollo/server';
import { isPublicError } from '../../core/errors';
import type { Logger } from '../logger';

/** Logs every error a client only sees masked, with the request id the client can quote. */
export function errorLoggingPlugin<C extends { requestId: string }>(log: Logger): ApolloServerPlugin<C> {
  return {
    async requestDidStart() {
      return {
        async didEncounterErrors({ contextValue, errors }) {
          for (const error of errors) {
            if (isPublicError(error.extensions)) continue;
            log.error({ err: error.originalError ?? error, path: error.path, requestId: contextValue.requestId }, error.message);
          }
        },
      };
    },
  };
}
