import type { RequestHandler } from 'express';
import type { GatewayRepository } from '../../common/data/gateway/gateway.repository';
import type { Logger } from '../../common/platform/logger';
import { sendGraphQLError } from '../../common/platform/server/error-response';
import { requestState } from './request-state';

/**
 * Requests per key and minute, counted in Postgres (GatewayRepository.hit), so every replica sees one count.
 * Over the limit: 429 with Retry-After (seconds to the next minute). If the count cannot be read, the request passes (logged).
 */
export function rateLimit(repository: GatewayRepository, defaultPerMinute: number, log: Logger): RequestHandler {
  return (req, res, next) => {
    const state = requestState(res);
    const caller = state.caller;
    const limit = caller?.requestsPerMinute ?? defaultPerMinute;
    if (!caller || limit === 0) return next();
    repository.hit(caller.name).then(
      ({ requests, secondsLeft }) => {
        res.setHeader('x-ratelimit-limit', String(limit));
        res.setHeader('x-ratelimit-remaining', String(Math.max(0, limit - requests)));
        if (requests <= limit) return next();
        state.errorCodes.add('RATE_LIMITED');
        const retryAfter = String(Math.max(1, Math.ceil(secondsLeft)));
        sendGraphQLError(res, 429, 'RATE_LIMITED', `Rate limit of ${limit} requests per minute reached; retry in ${retryAfter} s.`, {
          'retry-after': retryAfter,
        });
      },
      (err: unknown) => {
        log.warn({ err, requestId: state.requestId }, 'rate limit counter unavailable; request let through');
        next();
      },
    );
  };
}
