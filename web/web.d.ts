// esbuild bundles stylesheets imported from scripts into a .css beside the .js.
declare module '*.css';
/** The dashboard's persisted-operation ids by operation name (scripts/build-web.ts, from web/dashboard/operations.graphql). */
declare const __PERSISTED_OPERATIONS__: Record<string, string>;
