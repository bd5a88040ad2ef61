import type { ApolloServerOptions, ApolloServerPlugin, BaseContext } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import express, { type RequestHandler, type ErrorRequestHandler } from 'express';
import { EXPORT_ALIASES } from './export-query';
import {
  bodyErrorHandler,
  costLimitPlugin,
  maxRepeatedFieldsRule,
  repeatedDirectivesRule,
  requireOperationPlugin,
} from '../common/platform/server/query-limits';

/**
 * Every limit the gateway puts on a request, in one place (documented in docs/operations.md).
 * Sized so the smoke suite, the bench queries and Apollo's introspection query pass with room to spare.
 */
export const LIMITS = {
  /** Bytes of a request body. */
  maxBodyBytes: 100_000,
  /** Lexical tokens of a document (parse stops past it). */
  maxTokens: 2_000,
  /** Nesting of selections (the standard introspection query needs 13). */
  maxDepth: 15,
  maxAliases: 30,
  maxDirectives: 50,
  /** The same field in one selection set. */
  maxRepeatedFields: 5,
  /** Fields resolved, lists counted by their worst-case size (first, children(level), ancestors). */
  // The map of every province with its latest figures estimates about 85,000; the amplification query 9 million.
  maxCost: 100_000,
} as const;

export interface Hardening<C extends BaseContext> {
  /** Spread into the ApolloServer options. */
  apollo: Pick<
    ApolloServerOptions<C>,
    | 'introspection'
    | 'hideSchemaDetailsFromClientErrors'
    | 'allowBatchedHttpRequests'
    | 'csrfPrevention'
    | 'parseOptions'
    | 'validationRules'
    | 'includeStacktraceInErrorResponses'
  > & { plugins: ApolloServerPlugin<C>[] };
  /** Before the GraphQL middleware: the JSON body parser with its size limit. */
  bodyParser: RequestHandler;
  /** After it: malformed or oversized bodies become a GraphQL error with HTTP 400. */
  errorHandler: ErrorRequestHandler;
}

/** Query hardening, by environment: introspection, field suggestions and the landing page only outside production. */
export function hardening<C extends BaseContext>(env: 'development' | 'production' | 'test', limits: typeof LIMITS = LIMITS): Hardening<C> {
  const production = env === 'production';
  const armor = new ApolloArmor({
    maxDepth: { n: limits.maxDepth, flattenFragments: true, exposeLimits: true },
    // The CSV export's own aliases (about ten per figure) are not the client's: the limit counts only the client's.
    // No `__typename` in the list (armor's default): 101 of them are alias overloading all the same (graphql-cop).
    maxAliases: { n: limits.maxAliases, exposeLimits: true, allowList: [...EXPORT_ALIASES] },
    maxDirectives: { n: limits.maxDirectives, exposeLimits: true },
    // Apollo's own parser option bounds tokens (armor's token plugin answers 500); ours bounds cost with list sizes.
    maxTokens: { enabled: false },
    costLimit: { enabled: false },
    blockFieldSuggestion: { enabled: production },
  }).protect();
  return {
    apollo: {
      introspection: !production,
      hideSchemaDetailsFromClientErrors: production,
      allowBatchedHttpRequests: false,
      csrfPrevention: true,
      includeStacktraceInErrorResponses: false,
      parseOptions: { maxTokens: limits.maxTokens },
      validationRules: [...armor.validationRules, maxRepeatedFieldsRule(limits.maxRepeatedFields), repeatedDirectivesRule],
      plugins: [
        ...(armor.plugins as ApolloServerPlugin<C>[]),
        requireOperationPlugin<C>(),
        costLimitPlugin<C>(limits.maxCost),
        // Apollo's landing page loads its scripts from a CDN: the offline explorer (gateway/web.ts) serves /explorer instead.
        ApolloServerPluginLandingPageDisabled(),
      ],
    },
    bodyParser: express.json({ limit: limits.maxBodyBytes }),
    errorHandler: bodyErrorHandler,
  };
}
