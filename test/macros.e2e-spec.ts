import { startTestApp, TestApp } from './support/test-app';

describe('macros', () => {
  let t: TestApp;
  let admin: { Authorization: string };
  let ana: { id: string; auth: { Authorization: string } };
  let bo: { id: string; auth: { Authorization: string } };

  const newAgent = async (name: string) => {
    const agent = await t.http.post('/v1/agents').set(admin).send({ name, email: `${name.toLowerCase()}@example.com`, role: 'agent', availability: 'online' }).expect(201);
    const key = await t.http.post('/v1/api-keys').set(admin).send({ name: `${name} key`, role: 'agent', agentId: agent.body.id }).expect(201);
    return { id: agent.body.id as string, auth: t.auth(key.body.key) };
  };
  const createTicket = () =>
    t.http.post('/v1/tickets').set(admin).send({ subject: 'Where is my refund?', message: { body: 'It has been two weeks' }, requester: { email: 'jo@example.com', name: 'Jo' } }).expect(201);
  const replyAndClose = {
    name: 'Reply and close',
    actions: [
      { type: 'add_reply', body: 'Hi {{requester.name}}, ticket #{{ ticket.number }} is solved. -- {{agent.name}}' },
      { type: 'add_tags', tags: ['Refund'] },
      { type: 'set_status', status: 'closed' },
    ],
  };

  beforeAll(async () => {
    t = await startTestApp();
    admin = t.auth(t.main.key);
    ana = await newAgent('Ana');
    bo = await newAgent('Bo');
  });
  afterAll(() => t.close());

  it('creates, reads, lists, updates and deletes a macro, recording events', async () => {
    const created = await t.http.post('/v1/macros').set(admin).send(replyAndClose);
    expect(created.status).toBe(201);
    expect(created.body).toEqual({ id: expect.any(String), name: 'Reply and close', visibility: 'workspace', teamId: null, agentId: null, actions: replyAndClose.actions, createdAt: expect.any(String), updatedAt: expect.any(String) });
    expect((await t.http.get(`/v1/macros/${created.body.id}`).set(admin)).body).toEqual(created.body);
    const listed = await t.http.get('/v1/macros').set(admin);
    expect(listed.body.data.map((macro: { id: string }) => macro.id)).toContain(created.body.id);
    const renamed = await t.http.patch(`/v1/macros/${created.body.id}`).set(admin).send({ name: 'Close politely' });
    expect(renamed.body).toMatchObject({ name: 'Close politely', actions: replyAndClose.actions });
    await t.http.delete(`/v1/macros/${created.body.id}`).set(admin).expect(204);
    expect((await t.http.get(`/v1/macros/${created.body.id}`).set(admin)).status).toBe(404);
  });

  it('rejects unknown placeholders and incomplete actions when saved, naming the field', async () => {
    const unknown = await t.http.post('/v1/macros').set(admin).send({ name: 'Bad', actions: [{ type: 'set_priority', priority: 'high' }, { type: 'add_reply', body: 'Hi {{requester.phone}}' }] });
    expect(unknown.status).toBe(422);
    expect(unknown.body.errors).toEqual([{ field: 'actions[1].body', message: expect.stringContaining('unknown placeholder {{requester.phone}}') }]);
    const incomplete = await t.http.post('/v1/macros').set(admin).send({ name: 'Bad', actions: [{ type: 'set_status' }, { type: 'add_note', body: 'x', status: 'open' }, { type: 'apply_suggestions', minConfidence: 0.5 }] });
    expect(incomplete.status).toBe(422);
    expect(incomplete.body.errors.map((e: { field: string }) => e.field)).toEqual(['actions[0].status', 'actions[1].status', 'actions[2].type']);
    const invalid = await t.http.post('/v1/macros').set(admin).send({ name: 'Bad', actions: [{ type: 'explode' }, { type: 'set_team', teamId: '00000000-0000-4000-8000-000000000000' }] });
    expect(invalid.status).toBe(422);
    expect(invalid.body.errors.map((e: { field: string }) => e.field)).toContain('actions[0].type');
  });

  it('dry run returns the changes and the rendered reply without writing anything', async () => {
    const macro = (await t.http.post('/v1/macros').set(admin).send(replyAndClose).expect(201)).body;
    const ticket = (await createTicket()).body;
    const dryRun = await t.http.post(`/v1/tickets/${ticket.id}/macros/${macro.id}/apply?dryRun=true`).set(ana.auth);
    expect(dryRun.status).toBe(200);
    expect(dryRun.body).toMatchObject({
      dryRun: true,
      changes: { status: { before: 'new', after: 'closed' }, tags: { before: [], after: ['refund'] } },
      messages: [{ body: `Hi Jo, ticket #${ticket.number} is solved. -- Ana`, visibility: 'public' }],
      ticket: { id: ticket.id, status: 'new', version: 1 },
    });
    const after = await t.http.get(`/v1/tickets/${ticket.id}`).set(admin);
    expect(after.body).toMatchObject({ status: 'new', version: 1, tags: [] });
    expect((await t.http.get(`/v1/tickets/${ticket.id}/messages`).set(admin)).body.data).toHaveLength(1);
  });

  it('applies every action in one change with one grouped set of events', async () => {
    const macro = (await t.http.post('/v1/macros').set(admin).send(replyAndClose).expect(201)).body;
    const ticket = (await createTicket()).body;
    const applied = await t.http.post(`/v1/tickets/${ticket.id}/macros/${macro.id}/apply`).set(ana.auth);
    expect(applied.status).toBe(200);
    expect(applied.body.ticket).toMatchObject({ status: 'closed', tags: ['refund'], version: 2 });
    const messages = (await t.http.get(`/v1/tickets/${ticket.id}/messages`).set(admin)).body.data;
    expect(messages[1]).toMatchObject({ body: `Hi Jo, ticket #${ticket.number} is solved. -- Ana`, visibility: 'public', author: { type: 'agent', id: ana.id } });
    const events = (await t.http.get(`/v1/tickets/${ticket.id}/events`).set(admin)).body.data.slice(2);
    expect(events.map((e: { type: string }) => e.type)).toEqual(['ticket.updated', 'ticket.status_changed', 'ticket.message_created']);
    expect(new Set(events.map((e: { createdAt: string }) => e.createdAt)).size).toBe(1);
    expect(events[0].data).toEqual({ macro: { id: macro.id, name: 'Reply and close' } });
    expect(events[0].actor).toMatchObject({ type: 'agent', id: ana.id });
  });

  it('a failing action leaves the ticket untouched', async () => {
    const macro = (await t.http.post('/v1/macros').set(admin).send({ name: 'Reply then reopen', actions: [{ type: 'add_note', body: 'note' }, { type: 'set_status', status: 'new' }] }).expect(201)).body;
    const ticket = (await createTicket()).body;
    await t.http.patch(`/v1/tickets/${ticket.id}`).set(admin).send({ status: 'pending' }).expect(200);
    const applied = await t.http.post(`/v1/tickets/${ticket.id}/macros/${macro.id}/apply`).set(admin);
    expect(applied.status).toBe(409);
    expect((await t.http.get(`/v1/tickets/${ticket.id}/messages`).set(admin)).body.data).toHaveLength(1);
  });

  it("set_team routes through the team's strategy", async () => {
    const team = (await t.http.post('/v1/teams').set(admin).send({ name: 'Refunds', assignmentStrategy: 'round_robin', memberIds: [bo.id] }).expect(201)).body;
    const macro = (await t.http.post('/v1/macros').set(admin).send({ name: 'To refunds', actions: [{ type: 'set_team', teamId: team.id }, { type: 'set_custom_field', key: 'refund', value: { amount: 10 } }] }).expect(201)).body;
    const ticket = (await createTicket()).body;
    const applied = await t.http.post(`/v1/tickets/${ticket.id}/macros/${macro.id}/apply`).set(admin);
    expect(applied.body.ticket).toMatchObject({ team: { id: team.id }, assignee: { id: bo.id }, customFields: { refund: { amount: 10 } } });
    const assigned = (await t.http.get(`/v1/tickets/${ticket.id}/events`).set(admin)).body.data.find((e: { type: string }) => e.type === 'ticket.assigned');
    expect(assigned.data).toMatchObject({ reason: 'macro', strategy: 'round_robin', assignee: { id: bo.id } });
  });

  it("keeps agents' personal macros to themselves and workspaces apart", async () => {
    const personal = await t.http.post('/v1/macros').set(ana.auth).send({ name: 'Mine', visibility: 'agent', actions: [{ type: 'add_note', body: 'by {{agent.name}}' }] });
    expect(personal.status).toBe(201);
    expect(personal.body.agentId).toBe(ana.id);
    const forbidden = await t.http.post('/v1/macros').set(ana.auth).send({ name: 'Shared', actions: [{ type: 'add_note', body: 'x' }] });
    expect(forbidden.status).toBe(403);
    expect((await t.http.get(`/v1/macros/${personal.body.id}`).set(bo.auth)).status).toBe(404);
    expect((await t.http.get('/v1/macros').set(bo.auth)).body.data.map((m: { id: string }) => m.id)).not.toContain(personal.body.id);
    const ticket = (await createTicket()).body;
    expect((await t.http.post(`/v1/tickets/${ticket.id}/macros/${personal.body.id}/apply`).set(bo.auth)).status).toBe(404);

    const other = await t.newWorkspace();
    expect((await t.http.get(`/v1/macros/${personal.body.id}`).set(t.auth(other.key))).status).toBe(404);
    expect((await t.http.get('/v1/macros').set(t.auth(other.key))).body.data).toEqual([]);
    const foreignMacro = (await t.http.post('/v1/macros').set(t.auth(other.key)).send({ name: 'Theirs', actions: [{ type: 'set_priority', priority: 'low' }] }).expect(201)).body;
    expect((await t.http.post(`/v1/tickets/${ticket.id}/macros/${foreignMacro.id}/apply`).set(admin)).status).toBe(404);
  });

  it('an agent key without an agent owns no macro: it cannot change shared, team or personal ones (null is not null)', async () => {
    const team = (await t.http.post('/v1/teams').set(admin).send({ name: 'Nulls', memberIds: [ana.id] }).expect(201)).body;
    const actions = [{ type: 'add_note', body: 'x' }];
    const shared = (await t.http.post('/v1/macros').set(admin).send({ name: 'Shared one', actions }).expect(201)).body;
    const forTeam = (await t.http.post('/v1/macros').set(admin).send({ name: 'Team one', visibility: 'team', teamId: team.id, actions }).expect(201)).body;
    const personal = (await t.http.post('/v1/macros').set(ana.auth).send({ name: 'Ana one', visibility: 'agent', actions }).expect(201)).body;
    const agentless = t.auth((await t.http.post('/v1/api-keys').set(admin).send({ name: 'Integration', role: 'agent' }).expect(201)).body.key);

    expect((await t.http.delete(`/v1/macros/${shared.id}`).set(agentless)).status).toBe(403);
    expect((await t.http.patch(`/v1/macros/${shared.id}`).set(agentless).send({ name: 'Mine now' })).status).toBe(403);
    expect((await t.http.delete(`/v1/macros/${forTeam.id}`).set(agentless)).status).toBe(404);
    expect((await t.http.get(`/v1/macros/${forTeam.id}`).set(agentless)).status).toBe(404);
    expect((await t.http.delete(`/v1/macros/${personal.id}`).set(agentless)).status).toBe(404);
    expect((await t.http.post('/v1/macros').set(agentless).send({ name: 'Nobody\'s', visibility: 'agent', actions })).status).toBe(403);
    const listed = (await t.http.get('/v1/macros?limit=100').set(agentless).expect(200)).body.data.map((m: { id: string }) => m.id);
    expect(listed).toContain(shared.id);
    expect(listed).not.toContain(forTeam.id);
    expect(listed).not.toContain(personal.id);

    const deleteMacro = (id: string) => t.http.post('/graphql').set(agentless).send({ query: 'mutation($id: ID!) { deleteMacro(id: $id) }', variables: { id } });
    expect((await deleteMacro(shared.id)).body.errors[0].extensions.code).toBe('FORBIDDEN');
    expect((await deleteMacro(forTeam.id)).body.errors[0].extensions.code).toBe('NOT_FOUND');
    // An agent with an agent still edits its own, and can read but not change the team's.
    expect((await t.http.delete(`/v1/macros/${forTeam.id}`).set(ana.auth)).status).toBe(403);
    expect((await t.http.patch(`/v1/macros/${personal.id}`).set(ana.auth).send({ name: 'Ana two' })).status).toBe(200);
    for (const macro of [shared, forTeam, personal]) await t.http.get(`/v1/macros/${macro.id}`).set(admin).expect(200);
  });

  it('is available in GraphQL, with a dry run', async () => {
    const gql = (query: string, variables: Record<string, unknown>) => t.http.post('/graphql').set(admin).send({ query, variables });
    const created = await gql('mutation($input: CreateMacroInput!) { createMacro(input: $input) { id name actions { type priority body } } }', {
      input: { name: 'Gql urgent', actions: [{ type: 'set_priority', priority: 'urgent' }, { type: 'add_note', body: 'Escalated #{{ticket.number}}' }] },
    });
    expect(created.body.errors).toBeUndefined();
    const macro = created.body.data.createMacro;
    expect(macro.actions).toEqual([{ type: 'set_priority', priority: 'urgent', body: null }, { type: 'add_note', priority: null, body: 'Escalated #{{ticket.number}}' }]);
    const ticket = (await createTicket()).body;
    const dryRun = await gql('mutation($t: ID!, $m: ID!) { applyMacro(ticketId: $t, macroId: $m, dryRun: true) { dryRun changes messages { body visibility } ticket { priority } } }', { t: ticket.id, m: macro.id });
    expect(dryRun.body.data.applyMacro).toEqual({
      dryRun: true, changes: { priority: { before: 'normal', after: 'urgent' } }, messages: [{ body: `Escalated #${ticket.number}`, visibility: 'internal' }], ticket: { priority: 'normal' },
    });
    const bad = await gql('mutation($input: CreateMacroInput!) { createMacro(input: $input) { id } }', { input: { name: 'Bad', actions: [{ type: 'add_reply', body: '{{nope}}' }] } });
    expect(bad.body.errors[0].extensions.code).toBe('VALIDATION_FAILED');
  });
});
