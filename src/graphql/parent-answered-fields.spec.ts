import { buildSchema, graphql, GraphQLObjectType } from 'graphql';
import { answerFromParent } from './parent-answered-fields';

describe('answerFromParent', () => {
  const schemaWith = (loaded: string[]) => {
    const schema = buildSchema(`
      type Person { id: ID! name: String phone: String }
      type Ticket { id: ID! requester: Person assignee: Person }
      type Query { ticket: Ticket }
    `);
    const ticketType = schema.getType('Ticket') as GraphQLObjectType;
    ticketType.getFields().requester.resolve = (ticket: { requester: { id: string } }) => {
      loaded.push(ticket.requester.id);
      return { id: ticket.requester.id, name: 'Loaded', phone: '+1 555' };
    };
    return answerFromParent(schema, [{ type: 'Ticket', field: 'requester', subfields: ['id', 'name'] }, { type: 'Ticket', field: 'assignee', subfields: ['id'] }]);
  };
  const root = { ticket: { id: 't1', requester: { id: 'c1', name: 'From row' }, assignee: null } };

  it('answers from the parent when the query selects only subfields the parent holds', async () => {
    const loaded: string[] = [];
    const result = await graphql({ schema: schemaWith(loaded), source: '{ ticket { requester { __typename id name } assignee { id } } }', rootValue: root });
    expect(result).toEqual({ data: { ticket: { requester: { __typename: 'Person', id: 'c1', name: 'From row' }, assignee: null } } });
    expect(loaded).toEqual([]);
  });

  it('calls the field resolver for any other subfield, and for fragments', async () => {
    const loaded: string[] = [];
    const schema = schemaWith(loaded);
    const other = await graphql({ schema, source: '{ ticket { requester { id phone } } }', rootValue: root });
    expect(other.data).toEqual({ ticket: { requester: { id: 'c1', phone: '+1 555' } } });
    const fragment = await graphql({ schema, source: '{ ticket { requester { ...on Person { id } } } }', rootValue: root });
    expect(fragment.data).toEqual({ ticket: { requester: { id: 'c1' } } });
    expect(loaded).toEqual(['c1', 'c1']);
  });

  it('refuses a field the schema does not have, at boot rather than per request', () => {
    expect(() => answerFromParent(buildSchema('type Query { a: Int }'), [{ type: 'Ticket', field: 'requester', subfields: ['id'] }]))
      .toThrow('answerFromParent: the schema has no field Ticket.requester');
  });
});
