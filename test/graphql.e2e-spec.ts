import { PostgresQueryRunner } from 'typeorm/driver/postgres/PostgresQueryRunner';
import { startTestApp, TestApp } from './support/test-app';

describe('GraphQL', () => {
  let t: TestApp;
  let admin: { Authorization: string };
  const gql = (query: string, variables: Record<string, unknown> = {}, auth = admin) =>
    t.http.post('/graphql').set(auth).send({ query, variables });

  beforeAll(async () => {
    // Background workers share the process and its query runner; switched off so the query count is the request's alone.
    t = await startTestApp({ WEBHOOK_DISPATCHER_ENABLED: 'false', SLA_SCHEDULER_ENABLED: 'false', MAIL_WORKER_ENABLED: 'false' });
    admin = t.auth(t.main.key);
  });
  afterAll(() => t.close());

  it('requires a credential', async () => {
    const response = await t.http.post('/graphql').send({ query: '{ tickets { edges { node { id } } } }' });
    expect(response.body.errors[0].extensions).toMatchObject({ code: 'UNAUTHENTICATED', status: 401 });
    expect(response.body.data).toBeNull();
  });

  it('creates a ticket with the REST body shape and pages through tickets as a connection', async () => {
    const created = await gql(
      `mutation Create($input: CreateTicketInput!) { createTicket(input: $input) { id number status priority tags requester { email name } } }`,
      { input: { subject: 'GraphQL ticket', message: { body: 'from graphql' }, requester: { email: 'gql@example.com', name: 'G' }, priority: 'urgent', tags: ['A', 'a'] } },
    );
    expect(created.body.errors).toBeUndefined();
    expect(created.body.data.createTicket).toMatchObject({ status: 'new', priority: 'urgent', tags: ['a'], requester: { email: 'gql@example.com', name: 'G' } });
    for (let i = 0; i < 3; i++) {
      await gql(`mutation { createTicket(input: { subject: "t${i}", message: { body: "b" }, requester: { email: "gql@example.com" } }) { id } }`).expect(200);
    }
    const first = await gql(`{ tickets(first: 2, sort: createdAt) { edges { cursor node { subject } } pageInfo { hasNextPage endCursor } } }`);
    expect(first.body.data.tickets.edges.map((e: { node: { subject: string } }) => e.node.subject)).toEqual(['GraphQL ticket', 't0']);
    expect(first.body.data.tickets.pageInfo.hasNextPage).toBe(true);
    const second = await gql(`query($after: String) { tickets(first: 5, after: $after, sort: createdAt) { edges { node { subject } } pageInfo { hasNextPage } } }`, {
      after: first.body.data.tickets.pageInfo.endCursor,
    });
    expect(second.body.data.tickets.edges.map((e: { node: { subject: string } }) => e.node.subject)).toEqual(['t1', 't2']);
    expect(second.body.data.tickets.pageInfo.hasNextPage).toBe(false);
  });

  it('adds messages and updates with expectedVersion, reporting stale versions with the REST code', async () => {
    const { body } = await gql(`mutation { createTicket(input: { subject: "v", message: { body: "b" }, requester: { email: "v@example.com" } }) { id version } }`);
    const id = body.data.createTicket.id;
    const note = await gql(`mutation($id: ID!) { addMessage(ticketId: $id, input: { body: "note", visibility: internal }) { sequence visibility author { type } } }`, { id });
    expect(note.body.data.addMessage).toEqual({ sequence: 2, visibility: 'internal', author: { type: 'system' } });
    const updated = await gql(`mutation($id: ID!) { updateTicket(id: $id, input: { status: pending }, expectedVersion: 2) { status version } }`, { id });
    expect(updated.body.data.updateTicket).toEqual({ status: 'pending', version: 3 });
    const stale = await gql(`mutation($id: ID!) { updateTicket(id: $id, input: { status: open }, expectedVersion: 2) { status } }`, { id });
    expect(stale.body.errors[0].extensions).toMatchObject({ code: 'PRECONDITION_FAILED', status: 412 });
    const invalid = await gql(`mutation($id: ID!) { updateTicket(id: $id, input: { status: new }) { status } }`, { id });
    expect(invalid.body.errors[0].extensions).toMatchObject({ code: 'INVALID_TRANSITION', allowed: ['open', 'on_hold', 'resolved', 'closed'] });
    const history = await gql(`query($id: ID!) { ticket(id: $id) { messagesCount messages { body } events { type sequence } } }`, { id });
    expect(history.body.data.ticket.messagesCount).toBe(2);
    expect(history.body.data.ticket.messages.map((m: { body: string }) => m.body)).toEqual(['b', 'note']);
    expect(history.body.data.ticket.events.map((e: { type: string }) => e.type)).toEqual([
      'ticket.created', 'ticket.message_created', 'ticket.message_created', 'ticket.updated', 'ticket.status_changed',
    ]);
  });

  it('answers validation errors with the field names REST uses', async () => {
    const response = await gql(`mutation { createTicket(input: { subject: "", message: { body: "b" }, requester: { email: "nope" } }) { id } }`);
    expect(response.body.errors[0].extensions.code).toBe('VALIDATION_FAILED');
    expect(response.body.errors[0].extensions.errors.map((e: { field: string }) => e.field)).toEqual(expect.arrayContaining(['subject', 'requester.email']));
  });

  it('resolves requester, assignee and team for a page of 50 tickets in a bounded number of queries', async () => {
    const agents: string[] = [];
    for (let i = 0; i < 3; i++) {
      agents.push((await t.http.post('/v1/agents').set(admin).send({ name: `Agent ${i}`, email: `dl${i}@example.com`, role: 'agent' })).body.id);
    }
    const team = (await t.http.post('/v1/teams').set(admin).send({ name: 'Loaders', memberIds: agents })).body.id;
    for (let i = 0; i < 50; i++) {
      await t.http.post('/v1/tickets').set(admin)
        .send({ subject: `bulk ${i}`, message: { body: 'x' }, requester: { email: `bulk${i}@example.com` }, assigneeId: agents[i % 3], teamId: team })
        .expect(201);
    }
    const spy = jest.spyOn(PostgresQueryRunner.prototype, 'query');
    try {
      const response = await gql(`{ tickets(first: 50, filter: { teamId: "${team}" }) { edges { node { id requester { id name email } assignee { id name } team { id name members { id } } messagesCount } } } }`);
      expect(response.body.errors).toBeUndefined();
      const nodes = response.body.data.tickets.edges.map((e: { node: unknown }) => e.node);
      expect(nodes).toHaveLength(50);
      expect(nodes.every((n: { assignee: { id: string }; team: { id: string }; requester: { email: string } }) => n.assignee && n.team.id === team && n.requester.email.startsWith('bulk'))).toBe(true);
      expect(nodes.every((n: { messagesCount: number }) => n.messagesCount === 1)).toBe(true);
      // API key lookup, the list, then one batch for teams and their members (+ their agents); the rest comes from the row.
      const queries = spy.mock.calls.map((call) => String(call[0]).replace(/\s+/g, ' ').slice(0, 100));
      expect(queries.length).toBeLessThanOrEqual(6);

      // Fields the row does not hold are loaded, one batch per type for the whole page.
      spy.mockClear();
      const full = await gql(`{ tickets(first: 50, filter: { teamId: "${team}" }) { edges { node { requester { email createdAt } assignee { id email role } } } } }`);
      expect(full.body.errors).toBeUndefined();
      const fullNodes = full.body.data.tickets.edges.map((e: { node: { requester: { email: string; createdAt: string }; assignee: { id: string; email: string; role: string } } }) => e.node);
      expect(fullNodes).toHaveLength(50);
      for (const node of fullNodes) {
        expect(node.requester.email).toMatch(/^bulk\d+@example\.com$/);
        expect(Date.parse(node.requester.createdAt)).not.toBeNaN();
        expect(node.assignee).toEqual({ id: node.assignee.id, email: `dl${agents.indexOf(node.assignee.id)}@example.com`, role: 'agent' });
      }
      expect(spy.mock.calls.length).toBeLessThanOrEqual(4);
    } finally {
      spy.mockRestore();
    }
  });

  it('never shows another workspace\'s tickets', async () => {
    const other = await t.newWorkspace();
    const theirs = t.auth(other.key);
    const mine = (await gql(`mutation { createTicket(input: { subject: "secret", message: { body: "b" }, requester: { email: "s@example.com" } }) { id } }`)).body.data.createTicket.id;
    const read = await gql(`query($id: ID!) { ticket(id: $id) { id } }`, { id: mine }, theirs);
    expect(read.body.errors[0].extensions).toMatchObject({ code: 'NOT_FOUND', status: 404 });
    const list = await gql(`{ tickets(first: 100) { edges { node { id } } } }`, {}, theirs);
    expect(list.body.data.tickets.edges).toEqual([]);
    const update = await gql(`mutation($id: ID!) { updateTicket(id: $id, input: { priority: low }) { id } }`, { id: mine }, theirs);
    expect(update.body.errors[0].extensions.code).toBe('NOT_FOUND');
  });

});

describe('GraphQL client errors', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it.each([
    ['an unknown field', '{ nope }', 'GRAPHQL_VALIDATION_FAILED'],
    ['a wrong argument type', '{ tickets(first: "x") { edges { node { id } } } }', 'GRAPHQL_VALIDATION_FAILED'],
    ['a syntax error', '{ tickets {', 'GRAPHQL_PARSE_FAILED'],
    ['a missing required input field', 'mutation { createTicket(input: { subject: "x" }) { id } }', 'GRAPHQL_VALIDATION_FAILED'],
  ])('reports %s as the client error it is, never as an internal one', async (_, query, code) => {
    const response = await t.http.post('/graphql').set(t.auth(t.main.key)).send({ query });
    expect(response.status).toBe(400);
    expect(response.body.errors[0].extensions.code).toBe(code);
    expect(response.body.errors[0].message).not.toMatch(/unexpected/);
  });
});
