import { buildSchema, parse } from 'graphql';
import { queryCost } from './query-cost';

describe('queryCost', () => {
  const schema = buildSchema(`
    type Message { body: String attachments: [Attachment!]! }
    type Attachment { id: ID }
    type Agent { id: ID name: String }
    type Team { id: ID members: [Agent!]! }
    type Ticket { id: ID subject: String tags: [String!]! team: Team messages(first: Int = 50): [Message!]! }
    type TicketEdge { node: Ticket! cursor: String! }
    type PageInfo { hasNextPage: Boolean! }
    type TicketConnection { edges: [TicketEdge!]! pageInfo: PageInfo! }
    type Query { tickets(first: Int = 25): TicketConnection! ticket(id: ID!): Ticket! agents: [Agent!]! }
  `);
  const cost = (query: string, variables?: Record<string, unknown>) => queryCost(schema, parse(query), undefined, variables);

  it('counts one per field, scalar lists included', () => {
    expect(cost('{ ticket(id: "1") { id subject tags } }')).toBe(4);
  });

  it('multiplies a page by its first, from the argument, a variable or the default', () => {
    expect(cost('{ tickets(first: 100) { edges { node { id } } } }')).toBe(1 + 100 * 3);
    expect(cost('query($n: Int) { tickets(first: $n) { edges { node { id } } } }', { n: 10 })).toBe(1 + 10 * 3);
    expect(cost('{ tickets { edges { node { id } } } }')).toBe(1 + 25 * 3);
  });

  it('multiplies nested lists, so the attack of issue 12 costs what it would load', () => {
    const one = 'tickets(first: 100) { edges { node { messages { body } } } }';
    expect(cost(`{ ${one} }`)).toBe(5301);
    const aliases = Array.from({ length: 150 }, (_, i) => `a${i}: ${one}`).join(' ');
    expect(cost(`{ ${aliases} }`)).toBe(150 * 5301);
  });

  it('takes a full page for a list with no first, and a known bound where the domain has one', () => {
    expect(cost('{ agents { id } }')).toBe(1 + 100 * 1);
    expect(cost('{ ticket(id: "1") { team { members { id } } } }')).toBe(1 + 1 + 1 + 100);
    expect(cost('{ ticket(id: "1") { messages(first: 2) { attachments { id } } } }')).toBe(1 + 1 + 2 * (1 + 20));
  });

  it('counts fragments where they are spread, and leaves introspection out', () => {
    expect(cost('{ tickets(first: 2) { ...Page } } fragment Page on TicketConnection { edges { node { id } } }')).toBe(1 + 2 * 3);
    expect(cost('{ __schema { types { fields { name } } } ticket(id: "1") { __typename id } }')).toBe(2);
  });
});
