import type { WebhookEndpointPayload } from '../src/events/event-map';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { systemPrincipal } from '../src/auth/principal';
import { Outbox } from '../src/events/outbox';
import { EventRetention } from '../src/realtime/retention/event-retention';
import { eventually } from './support/eventually';
import { startTestApp, TestApp } from './support/test-app';

describe('event feed (GET /v1/events, GraphQL events)', () => {
  let t: TestApp;
  let admin: { Authorization: string };

  const createTicket = async (subject = 'Printer on fire', key = t.main.key) =>
    (await t.http.post('/v1/tickets').set(t.auth(key)).send({ subject, message: { body: 'Help' }, requester: { email: `r-${randomUUID()}@example.com` } }).expect(201)).body;
  const head = async (key = t.main.key): Promise<string> =>
    (await t.http.get('/v1/events').query({ types: 'team.deleted', limit: 1 }).set(t.auth(key)).expect(200)).body.nextCursor;

  beforeAll(async () => {
    t = await startTestApp({ WEBHOOK_DISPATCHER_ENABLED: 'false', SLA_SCHEDULER_ENABLED: 'false', MAIL_WORKER_ENABLED: 'false' });
    admin = t.auth(t.main.key);
  });
  afterAll(() => t.close());

  it('returns committed events in order with the webhook envelope and a cursor, paged by nextCursor', async () => {
    const start = await head();
    const ticket = await createTicket();
    await t.http.patch(`/v1/tickets/${ticket.id}`).set(admin).send({ status: 'pending' }).expect(200);
    const page = await t.http.get('/v1/events').query({ after: start, ticketId: ticket.id }).set(admin).expect(200);
    expect(page.body.data.map((event: { type: string }) => event.type)).toEqual(['ticket.created', 'ticket.message_created', 'ticket.updated', 'ticket.status_changed']);
    const [first] = page.body.data;
    expect(first).toMatchObject({ id: expect.any(String), type: 'ticket.created', version: 1, createdAt: expect.any(String), workspaceId: t.main.id, data: { sequence: 1, ticket: { id: ticket.id } } });
    expect(page.body.data.map((event: { data: { sequence: number } }) => event.data.sequence)).toEqual([1, 2, 3, 4]);
    const cursors = page.body.data.map((event: { cursor: string }) => BigInt(event.cursor));
    expect([...cursors].sort((a, b) => (a < b ? -1 : 1))).toEqual(cursors);

    const one = await t.http.get('/v1/events').query({ after: start, ticketId: ticket.id, limit: 1 }).set(admin).expect(200);
    expect(one.body.data).toHaveLength(1);
    const rest = await t.http.get('/v1/events').query({ after: one.body.nextCursor, ticketId: ticket.id }).set(admin).expect(200);
    expect(rest.body.data.map((event: { id: string }) => event.id)).toEqual(page.body.data.slice(1).map((event: { id: string }) => event.id));
    const after = await t.http.get('/v1/events').query({ after: rest.body.nextCursor, ticketId: ticket.id }).set(admin).expect(200);
    expect(after.body).toEqual({ data: [], nextCursor: rest.body.nextCursor });
  });

  it('filters by exact type names and prefixes, and names the field of an unknown type', async () => {
    const start = await head();
    const ticket = await createTicket();
    await t.http.post('/v1/teams').set(admin).send({ name: `Team ${randomUUID().slice(0, 6)}` }).expect(201);
    const exact = await t.http.get('/v1/events').query({ after: start, types: 'team.created,ticket.message_created' }).set(admin).expect(200);
    expect(exact.body.data.map((event: { type: string }) => event.type)).toEqual(['ticket.message_created', 'team.created']);
    const prefixed = await t.http.get('/v1/events').query({ after: start, types: 'ticket.*' }).set(admin).expect(200);
    expect(prefixed.body.data.every((event: { type: string; data: { ticket: { id: string } } }) => event.type.startsWith('ticket.') && event.data.ticket.id === ticket.id)).toBe(true);
    const bad = await t.http.get('/v1/events').query({ types: 'ticket.exploded' }).set(admin).expect(422);
    expect(bad.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(bad.body.errors[0].field).toBe('types');
    expect((await t.http.get('/v1/events').query({ after: 'abc' }).set(admin).expect(422)).body.errors[0].field).toBe('after');
    expect((await t.http.get('/v1/events').query({ after: '999999999999' }).set(admin).expect(400)).body.type).toMatch(/invalid-cursor/);
  });

  it('long-polls: answers as soon as a matching event commits, and empty at the timeout', async () => {
    const start = await head();
    const waiting = t.http.get('/v1/events').query({ after: start, types: 'contact.created', wait: 20 }).set(admin);
    const pending = waiting.then((response) => response);
    // The waiting request is parked in the hub before the contact is created.
    await eventually(() => (t.app.get(require('../src/realtime/hub/realtime-hub').RealtimeHub).subscriptionCount > 0 ? true : null), 'the long-poll to subscribe');
    const contact = (await t.http.post('/v1/contacts').set(admin).send({ email: `c-${randomUUID()}@example.com` }).expect(201)).body;
    const response = await pending;
    expect(response.status).toBe(200);
    expect(response.body.data.map((event: { data: { contact: { id: string } } }) => event.data.contact.id)).toEqual([contact.id]);

    const empty = await t.http.get('/v1/events').query({ after: response.body.nextCursor, types: 'contact.deleted', wait: 1 }).set(admin).expect(200);
    expect(empty.body).toEqual({ data: [], nextCursor: expect.any(String) });
  });

  it('keeps workspaces apart: another workspace reads none of these events, and its cursors mean nothing here', async () => {
    const other = await t.newWorkspace();
    const start = await head(other.key);
    const ticket = await createTicket('Ours only');
    const theirs = await t.http.get('/v1/events').query({ after: start }).set(t.auth(other.key)).expect(200);
    expect(JSON.stringify(theirs.body)).not.toContain(ticket.id);
    const byTicket = await t.http.get('/v1/events').query({ ticketId: ticket.id }).set(t.auth(other.key)).expect(200);
    expect(byTicket.body.data).toEqual([]);
    const mine = await t.http.get('/v1/events').query({ ticketId: ticket.id }).set(admin).expect(200);
    expect(mine.body.data.length).toBeGreaterThan(0);
  });

  it('shows agents no webhook administration events and nobody webhook pings', async () => {
    const agent = (await t.http.post('/v1/api-keys').set(admin).send({ name: 'agent key', role: 'agent' })).body;
    expect(agent.key).toBeDefined();
    const dataSource = t.app.get(DataSource);
    await dataSource.transaction((manager) => t.app.get(Outbox).record(manager, systemPrincipal(t.main.id), [
      { type: 'webhook.disabled', subjectType: 'webhook', subjectId: randomUUID(), data: { webhook: { id: 'x', url: 'https://hooks.example.com/x' } as unknown as WebhookEndpointPayload, reason: 'gone', lastAttempt: { attemptedAt: new Date().toISOString(), statusCode: 410, error: null } } },
      { type: 'webhook.ping', subjectType: 'webhook', subjectId: randomUUID(), data: { webhook: { id: 'y', url: 'https://hooks.example.com/y' } } },
    ]));
    const forAdmin = await t.http.get('/v1/events').query({ types: 'webhook.*' }).set(admin).expect(200);
    expect(forAdmin.body.data.map((event: { type: string }) => event.type)).toEqual(['webhook.disabled']);
    const forAgent = await t.http.get('/v1/events').query({ types: 'webhook.*' }).set(t.auth(agent.key)).expect(200);
    expect(forAgent.body.data).toEqual([]);
  });

  it('serves the same feed as a GraphQL connection', async () => {
    const start = await head();
    const ticket = await createTicket('GraphQL');
    const query = `query($after: String, $filter: EventFilterInput) { events(after: $after, first: 2, filter: $filter) { edges { cursor node { id type sequence data } } pageInfo { hasNextPage endCursor } } }`;
    const first = await t.http.post('/graphql').set(admin).send({ query, variables: { after: start, filter: { types: ['ticket.*'], ticketId: ticket.id } } }).expect(200);
    expect(first.body.errors).toBeUndefined();
    const { edges, pageInfo } = first.body.data.events;
    expect(edges.map((edge: { node: { type: string; sequence: number } }) => [edge.node.type, edge.node.sequence])).toEqual([['ticket.created', 1], ['ticket.message_created', 2]]);
    expect(pageInfo).toEqual({ hasNextPage: false, endCursor: expect.any(String) });
  });

  it('answers 410 for a cursor from before the retention cut, never silently skipping', async () => {
    const start = await head();
    await createTicket('Old news');
    const dataSource = t.app.get(DataSource);
    await dataSource.query(`UPDATE outbox_events SET created_at = now() - interval '40 days' WHERE workspace_id = $1 AND feed_position > $2`, [t.main.id, start]);
    expect(await t.app.get(EventRetention).runOnce()).toBeGreaterThan(0);
    const gone = await t.http.get('/v1/events').query({ after: start }).set(admin).expect(410);
    expect(gone.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(gone.body).toMatchObject({ type: expect.stringMatching(/cursor-expired/), oldestCursor: expect.any(String) });
    await t.http.get('/v1/events').query({ after: gone.body.oldestCursor }).set(admin).expect(200);
    await t.http.get('/v1/events').set(admin).expect(200);
  });
});
