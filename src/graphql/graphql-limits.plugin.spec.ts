import { parse } from 'graphql';
import { queryDepth } from './graphql-limits.plugin';

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
