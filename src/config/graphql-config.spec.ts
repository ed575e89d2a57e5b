import { ConfigError } from './app-config';
import { graphqlConfig } from './graphql-config';

describe('graphqlConfig', () => {
  it('has defaults that take the screens agents use', () => {
    expect(graphqlConfig({})).toEqual({
      maxDepth: 8, maxCost: 10_000, maxAliases: 20, maxRootFields: 15, maxMutations: 10, maxTokens: 1000, maxDocumentBytes: 32768, maxDirectives: 20,
      introspection: true,
    });
  });

  it('turns introspection off in production unless asked for', () => {
    expect(graphqlConfig({ NODE_ENV: 'production' }).introspection).toBe(false);
    expect(graphqlConfig({ NODE_ENV: 'production', GRAPHQL_INTROSPECTION: 'true' }).introspection).toBe(true);
    expect(graphqlConfig({ GRAPHQL_INTROSPECTION: 'false' }).introspection).toBe(false);
  });

  it.each([
    ['GRAPHQL_MAX_COST', '0'],
    ['GRAPHQL_MAX_ALIASES', 'many'],
    ['GRAPHQL_MAX_TOKENS', '5'],
    ['GRAPHQL_MAX_DOCUMENT_BYTES', '2000000'],
    ['GRAPHQL_MAX_DEPTH', '-1'],
    ['GRAPHQL_INTROSPECTION', 'yes'],
  ])('refuses %s=%s naming the variable', (variable, value) => {
    expect(() => graphqlConfig({ [variable]: value })).toThrow(ConfigError);
    expect(() => graphqlConfig({ [variable]: value })).toThrow(variable);
  });

  it('refuses a mutation cap above the root field cap', () => {
    expect(() => graphqlConfig({ GRAPHQL_MAX_MUTATIONS: '20', GRAPHQL_MAX_ROOT_FIELDS: '15' })).toThrow('GRAPHQL_MAX_MUTATIONS');
    expect(graphqlConfig({ GRAPHQL_MAX_MUTATIONS: '15', GRAPHQL_MAX_ROOT_FIELDS: '15' }).maxMutations).toBe(15);
  });
});
