import { startTestApp, TestApp } from './support/test-app';

type Auth = { Authorization: string };

describe('bulk changes, saved views and tags', () => {
  let t: TestApp;
  let admin: Auth;
  let ana: { id: string; auth: Auth };
  let bo: { id: string; auth: Auth };
  let other: Auth;
  let seq = 0;

  const newAgent = async (name: string) => {
    const agent = await t.http.post('/v1/agents').set(admin).send({ name, email: `${name.toLowerCase()}-${Date.now()}@example.com`, role: 'agent' }).expect(201);
    const key = await t.http.post('/v1/api-keys').set(admin).send({ name: `${name} key`, role: 'agent', agentId: agent.body.id }).expect(201);
    return { id: agent.body.id as string, auth: t.auth(key.body.key) };
  };
  const createTicket = async (extra: Record<string, unknown> = {}, auth: Auth = admin) =>
    (await t.http.post('/v1/tickets').set(auth).send({ subject: `Printer ${++seq}`, message: { body: 'It jams' }, requester: { email: `req${seq}@example.com` }, ...extra }).expect(201)).body as { id: string; number: number; version: number };
  const gql = (auth: Auth, query: string, variables: Record<string, unknown> = {}) => t.http.post('/graphql').set(auth).send({ query, variables });
  const eventsOf = async (id: string) => (await t.http.get(`/v1/tickets/${id}/events`).set(admin).expect(200)).body.data as Array<{ type: string; data: Record<string, unknown>; actor: { id: string } }>;

  beforeAll(async () => {
    t = await startTestApp();
    admin = t.auth(t.main.key);
    ana = await newAgent('Ana');
    bo = await newAgent('Bo');
    other = t.auth((await t.newWorkspace()).key);
  });
  afterAll(() => t.close());

  describe('bulk', () => {
    it('changes each ticket in its own transaction, answers mixed outcomes, and replays them by idempotency key', async () => {
      const fresh = await createTicket();
      const already = await createTicket({ priority: 'high', tags: ['vip'] });
      const closed = await createTicket();
      await t.http.patch(`/v1/tickets/${closed.id}`).set(admin).send({ status: 'closed' }).expect(200);
      const resolved = await createTicket();
      await t.http.patch(`/v1/tickets/${resolved.id}`).set(admin).send({ status: 'resolved' }).expect(200);
      const foreign = await (async () => (await t.http.post('/v1/tickets').set(other).send({ subject: 'Theirs', message: { body: 'x' }, requester: { email: 'x@example.com' } }).expect(201)).body.id as string)();
      const missing = '00000000-0000-4000-8000-000000000000';

      const body = { ids: [fresh.id, already.id, closed.id, foreign, missing, resolved.id], changes: { priority: 'high', addTags: ['VIP'], status: 'pending' } };
      const first = await t.http.post('/v1/tickets/bulk').set(ana.auth).set('Idempotency-Key', 'bulk-1').send(body);
      expect(first.status).toBe(200);
      expect(first.body.results).toEqual([
        { id: fresh.id, outcome: 'updated', version: 2, problem: null },
        { id: already.id, outcome: 'updated', version: 2, problem: null },
        { id: closed.id, outcome: 'failed', version: null, problem: { status: 409, code: 'ticket_closed', detail: expect.any(String) } },
        { id: foreign, outcome: 'failed', version: null, problem: { status: 404, code: 'not_found', detail: expect.any(String) } },
        { id: missing, outcome: 'failed', version: null, problem: { status: 404, code: 'not_found', detail: expect.any(String) } },
        { id: resolved.id, outcome: 'failed', version: null, problem: { status: 409, code: 'invalid_transition', detail: expect.any(String) } },
      ]);
      expect(first.body).toMatchObject({ updated: 2, unchanged: 0, failed: 4 });
      expect((await t.http.get(`/v1/tickets/${fresh.id}`).set(admin)).body).toMatchObject({ priority: 'high', status: 'pending', tags: ['vip'] });
      // History and events: one grouped change per ticket, marked as a bulk change, by the caller.
      const events = (await eventsOf(fresh.id)).filter((event) => event.data.bulk === true);
      expect(events.map((event) => event.type).sort()).toEqual(['ticket.status_changed', 'ticket.updated']);
      expect(events[0].actor.id).toBe(ana.id);
      // The failed tickets were not touched.
      expect((await t.http.get(`/v1/tickets/${resolved.id}`).set(admin)).body).toMatchObject({ status: 'resolved', version: 2 });
      // A retry with the same key replays the whole answer without changing anything again.
      const replay = await t.http.post('/v1/tickets/bulk').set(ana.auth).set('Idempotency-Key', 'bulk-1').send(body);
      expect(replay.status).toBe(200);
      expect(replay.headers['idempotent-replayed']).toBe('true');
      expect(replay.body).toEqual(first.body);
      expect((await t.http.get(`/v1/tickets/${fresh.id}`).set(admin)).body.version).toBe(2);
      // The same call again without the key: what is already as asked is unchanged.
      const again = await t.http.post('/v1/tickets/bulk').set(ana.auth).send({ ids: [fresh.id], changes: { priority: 'high' } }).expect(200);
      expect(again.body.results).toEqual([{ id: fresh.id, outcome: 'unchanged', version: 2, problem: null }]);
    });

    it('applies a macro to each ticket, rendering its templates per ticket', async () => {
      const macro = (await t.http.post('/v1/macros').set(admin).send({ name: 'Ack', actions: [{ type: 'add_reply', body: 'About #{{ticket.number}}' }, { type: 'add_tags', tags: ['acked'] }] }).expect(201)).body;
      const one = await createTicket();
      const two = await createTicket();
      const applied = await t.http.post('/v1/tickets/bulk').set(bo.auth).send({ ids: [one.id, two.id], macroId: macro.id }).expect(200);
      expect(applied.body).toMatchObject({ updated: 2, failed: 0 });
      for (const ticket of [one, two]) {
        const messages = (await t.http.get(`/v1/tickets/${ticket.id}/messages`).set(admin)).body.data;
        expect(messages.at(-1).body).toBe(`About #${ticket.number}`);
        const events = await eventsOf(ticket.id);
        expect(events.find((event) => event.type === 'ticket.updated')?.data).toMatchObject({ macro: { id: macro.id, name: 'Ack' }, bulk: true });
      }
    });

    it('refuses the whole call for a bad body or an unknown reference, naming the field, before changing anything', async () => {
      const ticket = await createTicket();
      const cases: Array<[unknown, string]> = [
        [{ ids: [ticket.id] }, 'changes'],
        [{ ids: [ticket.id], changes: { priority: 'high' }, macroId: '00000000-0000-4000-8000-000000000001' }, 'changes'],
        [{ ids: [], changes: { priority: 'high' } }, 'ids'],
        [{ ids: Array.from({ length: 101 }, () => ticket.id), changes: { priority: 'high' } }, 'ids'],
        [{ ids: [ticket.id, ticket.id], changes: { priority: 'high' } }, 'ids'],
        [{ ids: ['nope'], changes: { priority: 'high' } }, 'ids'],
        [{ ids: [ticket.id], changes: {} }, 'changes'],
        [{ ids: [ticket.id], changes: { priority: 'huge' } }, 'changes.priority'],
        [{ ids: [ticket.id], changes: { teamId: '00000000-0000-4000-8000-000000000002' } }, 'changes.teamId'],
        [{ ids: [ticket.id], changes: { assigneeId: '00000000-0000-4000-8000-000000000003' } }, 'changes.assigneeId'],
        [{ ids: [ticket.id], macroId: '00000000-0000-4000-8000-000000000004' }, 'macroId'],
      ];
      for (const [body, field] of cases) {
        const response = await t.http.post('/v1/tickets/bulk').set(admin).send(body as object);
        expect([response.status, field, response.body.errors?.map((e: { field: string }) => e.field)]).toEqual([422, field, expect.arrayContaining([field])]);
      }
      expect((await t.http.get(`/v1/tickets/${ticket.id}`).set(admin)).body.version).toBe(1);
      // A personal macro of another agent is not visible to the caller.
      const personal = (await t.http.post('/v1/macros').set(bo.auth).send({ name: 'Mine', visibility: 'agent', actions: [{ type: 'set_priority', priority: 'low' }] }).expect(201)).body;
      const hidden = await t.http.post('/v1/tickets/bulk').set(ana.auth).send({ ids: [ticket.id], macroId: personal.id });
      expect([hidden.status, hidden.body.errors?.[0]?.field]).toEqual([422, 'macroId']);
      expect((await t.http.post('/v1/tickets/bulk').send({ ids: [ticket.id], changes: { priority: 'low' } })).status).toBe(401);
    });

    it('bulkUpdateTickets does the same through GraphQL', async () => {
      const one = await createTicket();
      const closed = await createTicket();
      await t.http.patch(`/v1/tickets/${closed.id}`).set(admin).send({ status: 'closed' }).expect(200);
      const response = await gql(ana.auth, 'mutation($input: BulkUpdateTicketsInput!) { bulkUpdateTickets(input: $input) { updated unchanged failed results { id outcome version problem { status code } } } }', {
        input: { ids: [one.id, closed.id], changes: { assigneeId: ana.id, removeTags: ['none'] } },
      });
      expect(response.body.errors).toBeUndefined();
      expect(response.body.data.bulkUpdateTickets).toEqual({
        updated: 1, unchanged: 0, failed: 1,
        results: [
          { id: one.id, outcome: 'updated', version: 2, problem: null },
          { id: closed.id, outcome: 'failed', version: null, problem: { status: 409, code: 'ticket_closed' } },
        ],
      });
      expect((await t.http.get(`/v1/tickets/${one.id}`).set(admin)).body.assignee).toMatchObject({ id: ana.id });
      const invalid = await gql(ana.auth, 'mutation($input: BulkUpdateTicketsInput!) { bulkUpdateTickets(input: $input) { updated } }', { input: { ids: [one.id] } });
      expect(invalid.body.errors[0].extensions).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ field: 'changes', message: expect.any(String) }] });
    });
  });
});
