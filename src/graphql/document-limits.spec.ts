import { parse } from 'graphql';
import { graphqlConfig } from '../config/graphql-config';
import { countTokens, refuseOversizedDocuments } from './document-limits';

describe('countTokens', () => {
  it('counts what the parser counts: punctuation and names, not comments', () => {
    const query = '{ tickets(first: 1) { id } } # a comment';
    expect(countTokens(query, 100)).toBe(11);
    expect(() => parse(query, { maxTokens: 11 })).not.toThrow();
    expect(() => parse(query, { maxTokens: 10 })).toThrow(/10 tokens/);
  });

  it('stops one past the limit', () => {
    expect(countTokens('{ ' + 'id '.repeat(10_000) + '}', 50)).toBe(51);
  });

  it('leaves syntax errors to the parser', () => {
    expect(countTokens('{ a ! "unterminated', 100)).toBe(3);
  });
});

describe('refuseOversizedDocuments', () => {
  const limits = graphqlConfig({ GRAPHQL_MAX_TOKENS: '10', GRAPHQL_MAX_DOCUMENT_BYTES: '100' });

  it('passes a document exactly at both limits', () => {
    const query = '{ a { b { c } } d }'.padEnd(100, ' ');
    expect(() => refuseOversizedDocuments({ body: { query } }, limits)).not.toThrow();
  });

  it('refuses one token or one byte over', () => {
    expect(() => refuseOversizedDocuments({ body: { query: '{ a { b { c } } d e }' } }, limits)).toThrow(expect.objectContaining({ code: 'TOO_MANY_TOKENS' }));
    expect(() => refuseOversizedDocuments({ body: { query: '{ a }'.padEnd(101, ' ') } }, limits)).toThrow(expect.objectContaining({ code: 'DOCUMENT_TOO_LARGE' }));
  });

  it('counts bytes, not characters', () => {
    expect(() => refuseOversizedDocuments({ body: { query: '{ a } #' + 'é'.repeat(47) } }, limits)).toThrow(expect.objectContaining({ code: 'DOCUMENT_TOO_LARGE' }));
  });

  it('sums a batch and a GET query string', () => {
    expect(() => refuseOversizedDocuments({ body: [{ query: '{ a { b } }' }, { query: '{ a { b } }' }] }, limits)).toThrow(expect.objectContaining({ code: 'TOO_MANY_TOKENS' }));
    expect(() => refuseOversizedDocuments({ query: { query: '{ a b c d e f g h i j k }' } }, limits)).toThrow(expect.objectContaining({ code: 'TOO_MANY_TOKENS' }));
  });
});
