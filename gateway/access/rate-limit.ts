import type { RequestHandler } from 'express';
import type { GatewayRepository } from '../../common/data/gateway/gateway.repository';
import type { Logger } from '../../common/platform/logger';
import { sendGraphQLError } from '../../common/platform/server/error-response';
import { requestCost } from './operation';
import type { PartnerSchemas } from './partner-schema';
import { RateLimitCounter } from './rate-limit-counter';
import { requestState } from './request-state';

/** Per key and minute, 0 = no limit; a key file entry's requestsPerMinute / costPerMinute wins over these. */
export interface RateLimits {
  requestsPerMinute: number;
  costPerMinute: number;
}

/**
 * Two budgets per key and calendar minute, counted together in Postgres (GatewayRepository.hit, through
 * RateLimitCounter: one upsert in flight per key, the hits that wait meanwhile sent together), so every replica
 * sees one count: requests, and the estimated cost of their operations (the gateway's cost estimate against the
 * caller's schema). Every request counts, refused ones too. Over either: 429 with Retry-After (seconds to the next
 * minute). If the count cannot be read, the request passes (logged).
 */
export function rateLimit(repository: GatewayRepository, defaults: RateLimits, schemas: PartnerSchemas, log: Logger): RequestHandler {
  const counter = new RateLimitCounter(repository);
  return (req, res, next) => {
    const state = requestState(res);
    const caller = state.caller;
    if (!caller) return next();
    const requestLimit = caller.requestsPerMinute ?? defaults.requestsPerMinute;
    const costLimit = caller.costPerMinute ?? defaults.costPerMinute;
    if (requestLimit === 0 && costLimit === 0) return next();
    const cost = costLimit ? requestCost(req, state, schemas.forScopes(caller.scopes), costLimit) : 0;
    counter.hit(caller.name, cost).then(
      (used) => {
        const retryAfter = String(Math.max(1, Math.ceil(used.secondsLeft)));
        if (requestLimit) {
          res.setHeader('x-ratelimit-limit', String(requestLimit));
          res.setHeader('x-ratelimit-remaining', String(Math.max(0, requestLimit - used.requests)));
        }
        if (costLimit) {
          res.setHeader('x-ratelimit-cost-limit', String(costLimit));
          res.setHeader('x-ratelimit-cost-remaining', String(Math.max(0, costLimit - used.cost)));
        }
        const refuse = (message: string) => {
          state.errorCodes.add('RATE_LIMITED');
          sendGraphQLError(res, 429, 'RATE_LIMITED', message, { 'retry-after': retryAfter });
        };
        if (requestLimit && used.requests > requestLimit)
          return refuse(`Rate limit of ${requestLimit} requests per minute reached; retry in ${retryAfter} s.`);
        if (costLimit && used.cost > costLimit)
          return refuse(
            `Query-cost limit of ${costLimit} per minute reached (this operation is estimated at ${cost}; lists count by their size); retry in ${retryAfter} s.`,
          );
        next();
      },
      (err: unknown) => {
        log.warn({ err, requestId: state.requestId }, 'rate limit counter unavailable; request let through');
        next();
      },
    );
  };
}
