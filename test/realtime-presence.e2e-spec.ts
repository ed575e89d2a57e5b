import { DataSource } from 'typeorm';
import { eventually } from './support/eventually';
import { newAgent, newTicket, portalToken, TestAgent } from './support/realtime-fixtures';
import { startTestApp, TestApp, TestWorkspace } from './support/test-app';

describe('agent presence on tickets (REST and GraphQL)', () => {
  let t: TestApp;
  let ana: TestAgent;
  let bo: TestAgent;
  let other: TestWorkspace;
  let ticket: { id: string; requesterId: string };

  const presence = (ticketId: string) => `/v1/tickets/${ticketId}/presence`;
  const gql = (credential: string, query: string, variables: Record<string, unknown> = {}) =>
    t.http.post('/graphql').set(t.auth(credential)).send({ query, variables });

  beforeAll(async () => {
    t = await startTestApp({ PRESENCE_TTL_SECONDS: '2' });
    ana = await newAgent(t, t.main.key, t.main.slug, 'Ana');
    bo = await newAgent(t, t.main.key, t.main.slug, 'Bo');
    other = await t.newWorkspace();
    ticket = await newTicket(t, t.main.key);
  });
  afterAll(() => t.close());

  it('shows each agent on the ticket with their state, earliest arrival first, until they leave', async () => {
    const marked = await t.http.put(presence(ticket.id)).set(t.auth(ana.token)).send({ state: 'viewing' }).expect(200);
    expect(marked.body.nextCursor).toBeNull();
    expect(marked.body.data).toEqual([
      { agent: { id: ana.id, name: 'Ana' }, state: 'viewing', since: expect.any(String), expiresAt: expect.any(String) },
    ]);
    expect(Date.parse(marked.body.data[0].expiresAt) - Date.parse(marked.body.data[0].since)).toBeGreaterThanOrEqual(1900);

    // Bo through an API key bound to him, replying.
    await t.http.put(presence(ticket.id)).set(t.auth(bo.key)).send({ state: 'replying' }).expect(200);
    const listed = await t.http.get(presence(ticket.id)).set(t.auth(t.main.key)).expect(200);
    expect(listed.body.data.map((entry: { agent: { name: string }; state: string }) => [entry.agent.name, entry.state])).toEqual([['Ana', 'viewing'], ['Bo', 'replying']]);

    // A refresh keeps the arrival time and moves the expiry; a state change is shown.
    const refreshed = await t.http.put(presence(ticket.id)).set(t.auth(ana.token)).send({ state: 'replying' }).expect(200);
    const anaNow = refreshed.body.data.find((entry: { agent: { id: string } }) => entry.agent.id === ana.id);
    expect(anaNow.since).toBe(marked.body.data[0].since);
    expect(anaNow.state).toBe('replying');
    expect(Date.parse(anaNow.expiresAt)).toBeGreaterThanOrEqual(Date.parse(marked.body.data[0].expiresAt));

    await t.http.delete(presence(ticket.id)).set(t.auth(ana.token)).expect(204);
    await t.http.delete(presence(ticket.id)).set(t.auth(ana.token)).expect(204);
    const after = await t.http.get(presence(ticket.id)).set(t.auth(bo.token)).expect(200);
    expect(after.body.data.map((entry: { agent: { id: string } }) => entry.agent.id)).toEqual([bo.id]);
    await t.http.delete(presence(ticket.id)).set(t.auth(bo.key)).expect(204);
  });

  it('never lists an expired entry, whether or not the sweep has removed it yet, and sweeps it', async () => {
    const own = await newTicket(t, t.main.key);
    await t.http.put(presence(own.id)).set(t.auth(ana.token)).send({ state: 'viewing' }).expect(200);
    await t.http.put(presence(own.id)).set(t.auth(bo.token)).send({ state: 'viewing' }).expect(200);
    const dataSource = t.app.get(DataSource);
    await dataSource.query(`UPDATE ticket_presence SET expires_at = now() - interval '1 second' WHERE ticket_id = $1 AND agent_id = $2`, [own.id, ana.id]);
    const listed = await t.http.get(presence(own.id)).set(t.auth(t.main.key)).expect(200);
    expect(listed.body.data.map((entry: { agent: { id: string } }) => entry.agent.id)).toEqual([bo.id]);

    // Nobody refreshes: Bo's entry runs out after the 2 s TTL and the sweep deletes both rows.
    await eventually(async () => {
      const [{ count }] = await dataSource.query('SELECT count(*)::int AS count FROM ticket_presence WHERE ticket_id = $1', [own.id]);
      return count === 0;
    }, 'the expired presence rows to be swept', 10_000);
    expect((await t.http.get(presence(own.id)).set(t.auth(t.main.key)).expect(200)).body.data).toEqual([]);
  });

  it('refuses a state it does not know, naming the field', async () => {
    const bad = await t.http.put(presence(ticket.id)).set(t.auth(ana.token)).send({ state: 'typing' });
    expect(bad.status).toBe(422);
    expect(bad.body.errors).toEqual([expect.objectContaining({ field: 'state' })]);
    expect((await t.http.put(presence(ticket.id)).set(t.auth(ana.token)).send({ state: 'viewing', extra: 1 })).status).toBe(422);
    expect((await t.http.put(presence('00000000-0000-4000-8000-000000000000')).set(t.auth(ana.token)).send({ state: 'viewing' })).status).toBe(404);
  });

  it('is an agent\'s: keys bound to no agent may look but not be present', async () => {
    const agentless = (await t.http.post('/v1/api-keys').set(t.auth(t.main.key)).send({ name: 'Integration', role: 'agent' }).expect(201)).body.key;
    expect((await t.http.put(presence(ticket.id)).set(t.auth(agentless)).send({ state: 'viewing' })).status).toBe(403);
    expect((await t.http.put(presence(ticket.id)).set(t.auth(t.main.key)).send({ state: 'viewing' })).status).toBe(403);
    expect((await t.http.delete(presence(ticket.id)).set(t.auth(agentless))).status).toBe(403);
    expect((await t.http.get(presence(ticket.id)).set(t.auth(agentless))).status).toBe(200);
  });

  it('keeps workspaces apart: another workspace cannot see, mark or leave a ticket of this one', async () => {
    await t.http.put(presence(ticket.id)).set(t.auth(ana.token)).send({ state: 'viewing' }).expect(200);
    const stranger = await newAgent(t, other.key, other.slug, 'Stranger');
    expect((await t.http.get(presence(ticket.id)).set(t.auth(other.key))).status).toBe(404);
    expect((await t.http.put(presence(ticket.id)).set(t.auth(stranger.token)).send({ state: 'viewing' })).status).toBe(404);
    expect((await t.http.delete(presence(ticket.id)).set(t.auth(stranger.key))).status).toBe(404);
    const theirs = await newTicket(t, other.key);
    await t.http.put(presence(theirs.id)).set(t.auth(stranger.token)).send({ state: 'replying' }).expect(200);
    expect((await t.http.get(presence(theirs.id)).set(t.auth(t.main.key))).status).toBe(404);
    const ours = await t.http.get(presence(ticket.id)).set(t.auth(t.main.key)).expect(200);
    expect(ours.body.data.map((entry: { agent: { id: string } }) => entry.agent.id)).toEqual([ana.id]);
    const gqlOther = await gql(other.key, 'query($id: ID!) { ticketPresence(ticketId: $id) { agent { id } } }', { id: ticket.id });
    expect(gqlOther.body.errors[0].extensions.code).toBe('NOT_FOUND');
  });

  it('is never shown to requesters: portal tokens are refused on every presence operation', async () => {
    const token = await portalToken(t, t.main.key, ticket.requesterId);
    expect((await t.http.get(presence(ticket.id)).set(t.auth(token))).status).toBe(401);
    expect((await t.http.put(presence(ticket.id)).set(t.auth(token)).send({ state: 'viewing' })).status).toBe(401);
    expect((await t.http.delete(presence(ticket.id)).set(t.auth(token))).status).toBe(401);
    const viaGraphql = await gql(token, 'query($id: ID!) { ticketPresence(ticketId: $id) { agent { id } } }', { id: ticket.id });
    expect(viaGraphql.body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    // The portal's own ticket view carries nothing about agents on it.
    const portalTicket = await t.http.get(`/v1/portal/tickets/${ticket.id}`).set(t.auth(token)).expect(200);
    expect(JSON.stringify(portalTicket.body)).not.toMatch(/presence|viewing|replying/);
  });

  it('is ephemeral: no presence change is written to the event outbox (so none reaches the feed or webhooks)', async () => {
    const own = await newTicket(t, t.main.key);
    const dataSource = t.app.get(DataSource);
    const [{ before }] = await dataSource.query('SELECT count(*)::int AS before FROM outbox_events');
    await t.http.put(presence(own.id)).set(t.auth(ana.token)).send({ state: 'viewing' }).expect(200);
    await t.http.put(presence(own.id)).set(t.auth(bo.token)).send({ state: 'replying' }).expect(200);
    await t.http.delete(presence(own.id)).set(t.auth(bo.token)).expect(204);
    const [{ after }] = await dataSource.query('SELECT count(*)::int AS after FROM outbox_events');
    expect(after).toBe(before);
  });

  it('has GraphQL counterparts: markPresence, ticketPresence and leaveTicket', async () => {
    const own = await newTicket(t, t.main.key);
    const marked = await gql(ana.token, 'mutation($id: ID!) { markPresence(ticketId: $id, state: replying) { agent { id name } state expiresAt } }', { id: own.id });
    expect(marked.body.data.markPresence).toEqual([{ agent: { id: ana.id, name: 'Ana' }, state: 'replying', expiresAt: expect.any(String) }]);
    const listed = await gql(bo.key, 'query($id: ID!) { ticketPresence(ticketId: $id) { agent { name } state } }', { id: own.id });
    expect(listed.body.data.ticketPresence).toEqual([{ agent: { name: 'Ana' }, state: 'replying' }]);
    const agentless = await gql(t.main.key, 'mutation($id: ID!) { markPresence(ticketId: $id, state: viewing) { state } }', { id: own.id });
    expect(agentless.body.errors[0].extensions.code).toBe('FORBIDDEN');
    const left = await gql(ana.token, 'mutation($id: ID!) { leaveTicket(ticketId: $id) }', { id: own.id });
    expect(left.body.data.leaveTicket).toBe(true);
    expect((await gql(bo.key, 'query($id: ID!) { ticketPresence(ticketId: $id) { state } }', { id: own.id })).body.data.ticketPresence).toEqual([]);
  });
});
