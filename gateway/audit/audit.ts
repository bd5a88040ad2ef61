import type { ApolloServerPlugin } from '@apollo/server';
import type { RequestHandler } from 'express';
import { operationNameOf } from '../../common/platform/server/operation-name';
import { requestIdFrom } from '../../common/platform/server/request-id';
import type { RequestState } from '../access/request-state';
import type { AuditWriter } from '../../common/data/gateway/audit-writer';
import { AUDIT_SOURCE } from '../../common/data/gateway/gateway.repository';

/** First on /graphql: starts the request's state and, when the response is sent, hands one record to the audit. */
export function auditRequests(writer: AuditWriter): RequestHandler {
  return (req, res, next) => {
    const state: RequestState = { requestId: requestIdFrom(req.headers), startedAt: performance.now(), domains: new Set(), errorCodes: new Set() };
    res.locals.access = state;
    writer.track(new Promise((resolve) => res.once('close', () => resolve())));
    res.once('finish', () => {
      writer.record({
        at: new Date(),
        requestId: state.requestId,
        keyName: state.caller?.name ?? null,
        operationName: state.operationName ?? operationNameOf(req.body),
        domains: [...state.domains].sort(),
        durationMs: Math.round(performance.now() - state.startedAt),
        status: res.statusCode,
        errorCodes: [...state.errorCodes].sort(),
        source: AUDIT_SOURCE.gateway,
      });
    });
    next();
  };
}

/** Adds the codes of the errors Apollo sends (partial results included) to the request's audit record. */
export function auditPlugin<C extends { access: RequestState }>(): ApolloServerPlugin<C> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ contextValue, response, operationName }) {
          if (operationName) contextValue.access.operationName = operationName;
          const errors = response.body.kind === 'single' ? response.body.singleResult.errors : response.body.initialResult.errors;
          for (const error of errors ?? []) {
            const code = error.extensions?.code;
            contextValue.access.errorCodes.add(typeof code === 'string' ? code : 'INTERNAL_SERVER_ERROR');
          }
        },
      };
    },
  };
}
