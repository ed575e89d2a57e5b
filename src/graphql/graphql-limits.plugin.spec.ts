import { OperationDefinitionNode, parse } from 'graphql';
import { expandedFieldCount, queryDepth, rootFieldCount } from './graphql-limits.plugin';

describe('queryDepth', () => {
  it('counts nested fields, through fragments, ignoring introspection', () => {
    expect(queryDepth(parse('{ a { b { c } } }'))).toBe(3);
    expect(queryDepth(parse('{ a { ...F } } fragment F on T { b { c { d } } }'))).toBe(4);
    expect(queryDepth(parse('{ __schema { types { name } } a }'))).toBe(1);
  });

  it('does not loop on self-referencing fragments', () => {
    expect(queryDepth(parse('{ a { ...F } } fragment F on T { b { ...F } }'))).toBe(2);
  });

  it('walks each fragment once, however often it is spread', () => {
    expect(queryDepth(parse(fragmentBomb(60)))).toBe(61);
  });
});

/** Each fragment spreads the next twice: 2^levels paths through a document of a few hundred tokens. */
function fragmentBomb(levels: number): string {
  const fragments = Array.from({ length: levels }, (_, i) => `fragment F${i} on T { x${i} { ...F${i + 1} ...F${i + 1} } }`);
  return `{ ...F0 } ${fragments.join(' ')} fragment F${levels} on T { leaf }`;
}

describe('rootFieldCount', () => {
  const count = (source: string) => {
    const document = parse(source);
    return rootFieldCount(document.definitions[0] as OperationDefinitionNode, document);
  };

  it('counts aliases, fragments and inline fragments at the root, but not __typename', () => {
    expect(count('{ a b: a c { d e } __typename }')).toBe(3);
    expect(count('mutation { ...M ... on Mutation { z } } fragment M on Mutation { x y: x }')).toBe(3);
  });

  it('counts a response name once, as the executor runs it once', () => {
    expect(count('{ a a b: a ...F ...F } fragment F on Query { a b: a }')).toBe(2);
  });

  it('walks each fragment once, however often it is spread', () => {
    expect(count(fragmentBomb(60))).toBe(1);
  });

  it('does not loop on self-referencing fragments', () => {
    expect(count('{ ...F } fragment F on Query { a ...F }')).toBe(1);
  });
});

describe('expandedFieldCount', () => {
  const count = (source: string) => {
    const document = parse(source);
    return expandedFieldCount(document.definitions[0] as OperationDefinitionNode, document);
  };

  it('counts every field where its fragment is spread, but not __typename', () => {
    expect(count('{ a { b c } ...F ...F __typename } fragment F on Query { d { e } }')).toBe(3 + 2 * 2);
  });

  it('counts a fragment bomb in linear time', () => {
    expect(count(fragmentBomb(60))).toBe(2 ** 61 - 1);
  });
});
