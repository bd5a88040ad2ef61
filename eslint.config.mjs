// ESLint 9 flat config: type-aware TypeScript rules, layering between common/* folders, and the generated GraphQL SDL.
import js from '@eslint/js';
import graphql from '@graphql-eslint/eslint-plugin';
import { defineConfig, globalIgnores } from 'eslint/config';
import tseslint from 'typescript-eslint';

const SUBGRAPHS = ['identity', 'finance', 'infrastructure'];

/** `no-restricted-imports` entry: relative imports that climb out into one of `folders` (import strings, not resolved paths). */
const intoFolders = (folders, message) => ({ regex: `^(\\.\\./)+(${folders.join('|')})(/|$)`, message });
const OUTSIDE_COMMON = intoFolders(
  ['subgraphs', 'gateway', 'scripts', 'test'],
  'common/ is shared code: it may not import subgraphs, gateway, scripts or tests.',
);
const layer = (files, below, message) => ({
  files,
  rules: { 'no-restricted-imports': ['error', { patterns: [OUTSIDE_COMMON, ...(below.length ? [intoFolders(below, message)] : [])] }] },
});

export default defineConfig([
  globalIgnores(['dist/', 'node_modules/', '.data/', 'coverage/', 'seeds/', 'bench-results/']),

  {
    files: ['**/*.ts'],
    extends: [js.configs.recommended, tseslint.configs.recommendedTypeChecked],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // `_`-prefixed names mark parameters a signature needs (type-graphql roots, express handlers) but the body does not.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' }],
      // `import type` keeps type-only imports out of the emitted CommonJS (and out of runtime cycles).
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      // Numbers and booleans in messages and SQL are intended; objects in templates are the bug worth catching.
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true, allowBoolean: true }],
      // Apollo plugin hooks and context functions must return Promises; `async` with no `await` is the plain way to write them.
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    files: ['**/*.{js,mjs,cjs}'],
    extends: [js.configs.recommended],
    languageOptions: { sourceType: 'commonjs', globals: { process: 'readonly', console: 'readonly' } },
  },
  { files: ['**/*.mjs'], languageOptions: { sourceType: 'module' } },

  // Layers: core <- platform <- data <- graph <- subgraphs/gateway/scripts; nothing in common/ reaches outside it.
  layer(['common/core/**/*.ts'], ['platform', 'data', 'graph'], 'common/core is the bottom layer: no platform, data or graph imports.'),
  layer(['common/platform/**/*.ts'], ['data', 'graph'], 'common/platform may import only common/core.'),
  layer(['common/data/**/*.ts'], ['graph'], 'common/data may not import common/graph.'),
  layer(['common/graph/**/*.ts'], [], ''),

  {
    files: ['schema/*.graphql'],
    languageOptions: {
      parser: graphql.parser,
      // One graphql-config project per file: each subgraph SDL is its own schema (graphql-eslint caches one config per process).
      parserOptions: {
        graphQLConfig: {
          projects: Object.fromEntries([...SUBGRAPHS, 'supergraph'].map((name) => [name, { schema: `schema/${name}.graphql` }])),
        },
      },
    },
    plugins: { '@graphql-eslint': graphql },
  },
  {
    files: SUBGRAPHS.map((name) => `schema/${name}.graphql`),
    rules: {
      ...graphql.configs['flat/schema-recommended'].rules,
      // Checks SDL without the federation spec, so @key, @shareable, @link would be "unknown". The parser builds each file with
      // buildSubgraphSchema, which already fails on an unknown directive or one the @link does not import.
      '@graphql-eslint/known-directives': 'off',
      // Every type, field, argument, input field and enum value is documented: partners read these in their IDEs.
      '@graphql-eslint/require-description': [
        'error',
        { types: true, rootField: true, FieldDefinition: true, InputValueDefinition: true, EnumValueDefinition: true, DirectiveDefinition: true },
      ],
      // Entities are keyed by `code` (GSO locality codes, indicator codes); value types (figures, pages, profiles) have no identity.
      '@graphql-eslint/strict-id-in-types': [
        'error',
        {
          acceptedIdNames: ['id', 'code'],
          acceptedIdTypes: ['ID'],
          exceptions: {
            types: [
              'PageInfo',
              'Period',
              'Source',
              'Observation',
              'MetricInput',
              'RankedLocality',
              'LocalityLink',
              'Rollup',
              'RollupCoverage',
              'RollupLevel',
            ],
            suffixes: ['Connection', 'Profile'],
          },
        },
      ],
      // The only `#` comment is the "Generated by npm run compose" header, which the rule takes for a description.
      '@graphql-eslint/no-hashtag-description': 'off',
      '@graphql-eslint/require-deprecation-date': 'error',
      // As recommended, except `enum Domain`: its values are the lower-case domain names used as fields (Locality.finance), schemas and scopes.
      '@graphql-eslint/naming-convention': [
        'error',
        {
          ...Object.fromEntries(
            Object.entries(graphql.configs['flat/schema-recommended'].rules['@graphql-eslint/naming-convention'][1]).filter(
              ([selector]) => selector !== 'EnumValueDefinition',
            ),
          ),
          'EnumValueDefinition[parent.name.value!=Domain]': 'UPPER_CASE',
          'EnumValueDefinition[parent.name.value=Domain]': 'camelCase',
        },
      ],
    },
  },
  {
    // The supergraph is composition output (join__/link__ machinery, descriptions copied from subgraphs): check only that it is valid SDL.
    files: ['schema/supergraph.graphql'],
    rules: {
      '@graphql-eslint/known-argument-names': 'error',
      '@graphql-eslint/known-directives': 'error',
      '@graphql-eslint/known-type-names': 'error',
      '@graphql-eslint/lone-schema-definition': 'error',
      '@graphql-eslint/possible-type-extension': 'error',
      '@graphql-eslint/provided-required-arguments': 'error',
      '@graphql-eslint/unique-directive-names': 'error',
      '@graphql-eslint/unique-directive-names-per-location': 'error',
      '@graphql-eslint/unique-enum-value-names': 'error',
      '@graphql-eslint/unique-field-definition-names': 'error',
      '@graphql-eslint/unique-operation-types': 'error',
      '@graphql-eslint/unique-type-names': 'error',
    },
  },
]);
