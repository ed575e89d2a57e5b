import { ValidationFailed } from '../common/errors/domain-errors';
import { parseSearchQuery, tokenize } from './search-query';
import { searchConditions } from './search-sql';

describe('tokenize', () => {
  it('keeps quoted phrases and quoted qualifier values in one token', () => {
    expect(tokenize(' "exact phrase"  team:"Tier 2" -"not this" word ')).toEqual(['"exact phrase"', 'team:"Tier 2"', '-"not this"', 'word']);
  });
});

describe('parseSearchQuery', () => {
  it('leaves web-search syntax in the text part and lifts qualifiers into filters', () => {
    const parsed = parseSearchQuery('"card declined" or refund -chargeback status:open,pending priority:HIGH tag:Billing');
    expect(parsed.text).toBe('"card declined" or refund -chargeback');
    expect(parsed.filters).toEqual([
      { kind: 'status', values: ['open', 'pending'], negated: false },
      { kind: 'priority', values: ['high'], negated: false },
      { kind: 'tag', value: 'billing', negated: false },
    ]);
    expect(parsed.partial).toBeNull();
  });

  it('parses assignee, team, requester, created comparisons, ticket numbers and negation', () => {
    const parsed = parseSearchQuery('assignee:me -assignee:none team:"Tier 2" requester:jo@exa created>=2026-01-01 created<2026-02-01 created:2026-01-15 #1234 -status:closed');
    expect(parsed.text).toBe('');
    expect(parsed.filters).toEqual([
      { kind: 'assignee', value: 'me', negated: false },
      { kind: 'assignee', value: 'none', negated: true },
      { kind: 'team', value: 'Tier 2', negated: false },
      { kind: 'requester', value: 'jo@exa', negated: false },
      { kind: 'created', comparison: '>=', date: '2026-01-01', negated: false },
      { kind: 'created', comparison: '<', date: '2026-02-01', negated: false },
      { kind: 'created', comparison: ':', date: '2026-01-15', negated: false },
      { kind: 'number', value: 1234, negated: false },
      { kind: 'status', values: ['closed'], negated: true },
    ]);
  });

  it('treats unknown key:value tokens as words', () => {
    expect(parseSearchQuery('error:500 https://example.com').text).toBe('error:500 https://example.com');
  });

  it('flags a lone partial email or number for trigram matching', () => {
    expect(parseSearchQuery('jo@exam').partial).toBe('jo@exam');
    expect(parseSearchQuery('123').partial).toBe('123');
    expect(parseSearchQuery('refund 123').partial).toBeNull();
    expect(parseSearchQuery('refund').partial).toBeNull();
  });

  it.each([
    ['status:done', 'status: must be one of new, open, pending, on_hold, resolved, closed'],
    ['priority:', 'priority: needs a value'],
    ['assignee:bob', 'assignee: must be me, none or an agent id'],
    ['created>2026-02-30', 'created needs a date as YYYY-MM-DD, not "2026-02-30"'],
    ['created<yesterday', 'created needs a date as YYYY-MM-DD, not "yesterday"'],
  ])('rejects %s naming the q field', (query, message) => {
    try {
      parseSearchQuery(query);
      throw new Error('expected a validation failure');
    } catch (error) {
      expect(error).toBeInstanceOf(ValidationFailed);
      expect((error as ValidationFailed).errors).toEqual([{ field: 'q', message }]);
    }
  });

  it('bounds the query length and term count', () => {
    expect(() => parseSearchQuery('x'.repeat(501))).toThrow(ValidationFailed);
    expect(() => parseSearchQuery(Array.from({ length: 51 }, (_, i) => `w${i}`).join(' '))).toThrow(ValidationFailed);
  });
});

describe('searchConditions', () => {
  const build = (query: string, agentId: string | null | undefined = 'a0000000-0000-4000-8000-000000000000') => {
    const params: unknown[] = [];
    const bind = (value: unknown) => {
      params.push(value);
      return `$${params.length}`;
    };
    return { sql: searchConditions(parseSearchQuery(query), bind, { agentId, matches: (query) => `d.doc @@ ${query}` }), params };
  };

  it('binds every value as a parameter and negates with IS NOT TRUE', () => {
    const { sql, params } = build(`-tag:vip requester:50%_off created>2026-01-31`);
    expect(sql).toEqual([
      '(t.tags @> ARRAY[$1]::text[]) IS NOT TRUE',
      '(c.email::text ILIKE $2 OR c.name ILIKE $2)',
      't.created_at >= $3::timestamptz',
    ]);
    expect(params).toEqual(['vip', '%50\\%\\_off%', '2026-02-01']);
  });

  it('answers assignee:me with the caller agent, and refuses it without one', () => {
    expect(build('assignee:me').params).toEqual(['a0000000-0000-4000-8000-000000000000']);
    expect(() => build('assignee:me', null)).toThrow('assignee:me needs a caller acting as an agent');
  });
});
