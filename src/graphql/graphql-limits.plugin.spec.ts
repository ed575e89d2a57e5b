import { OperationDefinitionNode, parse } from 'graphql';
import { queryDepth, rootFieldCount } from './graphql-limits.plugin';

describe('queryDepth', () => {
  it('counts nested fields, through fragments, ignoring introspection', () => {
    expect(queryDepth(parse('{ a { b { c } } }'))).toBe(3);
    expect(queryDepth(parse('{ a { ...F } } fragment F on T { b { c { d } } }'))).toBe(4);
    expect(queryDepth(parse('{ __schema { types { name } } a }'))).toBe(1);
  });

  it('does not loop on self-referencing fragments', () => {
    expect(queryDepth(parse('{ a { ...F } } fragment F on T { b { ...F } }'))).toBe(2);
  });
});

describe('rootFieldCount', () => {
  const count = (source: string) => {
    const document = parse(source);
    return rootFieldCount(document.definitions[0] as OperationDefinitionNode, document);
  };

  it('counts aliases, fragments and inline fragments at the root, but not __typename', () => {
    expect(count('{ a b: a c { d e } __typename }')).toBe(3);
    expect(count('mutation { ...M ... on Mutation { z } } fragment M on Mutation { x y: x }')).toBe(3);
  });

  it('does not loop on self-referencing fragments', () => {
    expect(count('{ ...F } fragment F on Query { a ...F }')).toBe(1);
  });
});
