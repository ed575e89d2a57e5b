import { ConfigError, flag, integer, isProduction } from './app-config';

/** What one GraphQL request may ask for; every limit is checked before a resolver runs. */
export interface GraphqlConfig {
  maxDepth: number;
  /** Estimated work: each field costs 1, a list multiplies its children's cost by `first` (see graphql/query-cost.ts). */
  maxCost: number;
  maxAliases: number;
  maxRootFields: number;
  /** Root fields of a mutation, each its own transaction. */
  maxMutations: number;
  /** Also bounds validation: graphql-js compares repeated fields pairwise, so its work grows with the square of this. */
  maxTokens: number;
  /** UTF-8 bytes of the query text, summed over a batch; long text belongs in variables. */
  maxDocumentBytes: number;
  maxDirectives: number;
  /** Schema introspection and "did you mean" hints: on in development, off with NODE_ENV=production unless GRAPHQL_INTROSPECTION=true. */
  introspection: boolean;
}

export function graphqlConfig(env: NodeJS.ProcessEnv): GraphqlConfig {
  const config = {
    maxDepth: integer(env, 'GRAPHQL_MAX_DEPTH', 8, 1, 50),
    maxCost: integer(env, 'GRAPHQL_MAX_COST', 10_000, 1, 10_000_000),
    maxAliases: integer(env, 'GRAPHQL_MAX_ALIASES', 20, 0, 1000),
    maxRootFields: integer(env, 'GRAPHQL_MAX_ROOT_FIELDS', 15, 1, 1000),
    maxMutations: integer(env, 'GRAPHQL_MAX_MUTATIONS', 10, 1, 1000),
    maxTokens: integer(env, 'GRAPHQL_MAX_TOKENS', 1000, 10, 100_000),
    maxDocumentBytes: integer(env, 'GRAPHQL_MAX_DOCUMENT_BYTES', 32 * 1024, 100, 1024 * 1024),
    maxDirectives: integer(env, 'GRAPHQL_MAX_DIRECTIVES', 20, 0, 1000),
    introspection: flag(env, 'GRAPHQL_INTROSPECTION', !isProduction(env)),
  };
  if (config.maxMutations > config.maxRootFields) {
    throw new ConfigError('GRAPHQL_MAX_MUTATIONS', `must not exceed GRAPHQL_MAX_ROOT_FIELDS (${config.maxRootFields}), got ${config.maxMutations}`);
  }
  return config;
}
