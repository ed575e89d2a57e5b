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

    it('runs automation rules and recomputes the SLA of each ticket it changes', async () => {
      await t.http.post('/v1/sla-policies').set(admin).send({ name: 'Bulk SLA', conditions: { tags: ['slabulk'] }, targets: { high: { resolution: 60 } } }).expect(201);
      const rule = (await t.http.post('/v1/automation-rules').set(admin).send({
        name: 'Escalate urgent', events: ['ticket.updated'], conditions: { all: [{ field: 'priority', operator: 'is', value: 'urgent' }] }, actions: [{ type: 'add_tags', tags: ['escalated-bulk'] }],
      }).expect(201)).body;
      const slaTicket = await createTicket({ priority: 'high' });
      const ruleTicket = await createTicket();
      expect((await t.http.get(`/v1/tickets/${slaTicket.id}`).set(admin)).body.sla).toBeNull();
      await t.http.post('/v1/tickets/bulk').set(ana.auth).send({ ids: [slaTicket.id], changes: { addTags: ['slabulk'] } }).expect(200);
      const withSla = (await t.http.get(`/v1/tickets/${slaTicket.id}`).set(admin)).body;
      expect(withSla.sla.metrics.map((metric: { metric: string }) => metric.metric)).toContain('resolution');
      await t.http.post('/v1/tickets/bulk').set(ana.auth).send({ ids: [ruleTicket.id], changes: { priority: 'urgent' } }).expect(200);
      expect((await t.http.get(`/v1/tickets/${ruleTicket.id}`).set(admin)).body.tags).toContain('escalated-bulk');
      await t.http.patch(`/v1/automation-rules/${rule.id}`).set(admin).send({ enabled: false }).expect(200);
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

  describe('saved views', () => {
    const feed = async (type: string) => ((await t.http.get(`/v1/events?types=${type}&limit=500`).set(admin).expect(200)).body.data as Array<{ type: string; data: { view: { id: string } } }>);

    it('keeps personal views to their owner and shared views to admins, with events', async () => {
      const mine = await t.http.post('/v1/views').set(ana.auth).send({ name: 'My printers', filter: { tag: 'Printer-x', status: ['new', 'open'] }, sort: 'updatedAt' });
      expect(mine.status).toBe(201);
      expect(mine.body).toMatchObject({ name: 'My printers', visibility: 'personal', agentId: ana.id, filter: { tag: 'Printer-x', status: ['new', 'open'] }, sort: 'updatedAt', position: 0 });
      const shared = await t.http.post('/v1/views').set(admin).send({ name: 'Urgent', filter: { priority: ['urgent'] }, visibility: 'shared' });
      expect(shared.status).toBe(201);
      expect(shared.body).toMatchObject({ visibility: 'shared', agentId: null, sort: '-createdAt' });

      expect((await t.http.get(`/v1/views/${mine.body.id}`).set(ana.auth)).status).toBe(200);
      // Another agent, an admin key without an agent and another workspace do not see a personal view.
      for (const auth of [bo.auth, admin, other]) expect((await t.http.get(`/v1/views/${mine.body.id}`).set(auth)).status).toBe(404);
      expect((await t.http.patch(`/v1/views/${mine.body.id}`).set(bo.auth).send({ name: 'Stolen' })).status).toBe(404);
      expect((await t.http.delete(`/v1/views/${mine.body.id}`).set(admin)).status).toBe(404);
      expect((await t.http.get(`/v1/views/${shared.body.id}`).set(other)).status).toBe(404);
      expect((await t.http.get(`/v1/views/${shared.body.id}/tickets`).set(other)).status).toBe(404);

      const anaList = (await t.http.get('/v1/views').set(ana.auth).expect(200)).body.data.map((view: { id: string }) => view.id);
      expect(anaList).toEqual(expect.arrayContaining([mine.body.id, shared.body.id]));
      const boList = (await t.http.get('/v1/views').set(bo.auth).expect(200)).body.data.map((view: { id: string }) => view.id);
      expect(boList).toContain(shared.body.id);
      expect(boList).not.toContain(mine.body.id);
      expect((await t.http.get('/v1/views?visibility=personal').set(ana.auth)).body.data.map((view: { id: string }) => view.id)).toEqual([mine.body.id]);
      expect((await t.http.get('/v1/views').set(other).expect(200)).body.data).toEqual([]);

      // Shared views need an admin; an agentless key has no personal views.
      expect((await t.http.post('/v1/views').set(ana.auth).send({ name: 'Team', visibility: 'shared' })).status).toBe(403);
      expect((await t.http.patch(`/v1/views/${shared.body.id}`).set(ana.auth).send({ name: 'Mine now' })).status).toBe(403);
      expect((await t.http.patch(`/v1/views/${mine.body.id}`).set(ana.auth).send({ visibility: 'shared' })).status).toBe(403);
      expect((await t.http.delete(`/v1/views/${shared.body.id}`).set(ana.auth)).status).toBe(403);
      const agentless = await t.http.post('/v1/views').set(admin).send({ name: 'Nobody\'s' });
      expect([agentless.status, agentless.body.errors?.[0]?.field]).toEqual([422, 'visibility']);

      const renamed = await t.http.patch(`/v1/views/${mine.body.id}`).set(ana.auth).send({ name: 'Printers', position: 5 });
      expect(renamed.body).toMatchObject({ name: 'Printers', position: 5, filter: { tag: 'Printer-x' } });
      await t.http.delete(`/v1/views/${shared.body.id}`).set(admin).expect(204);
      expect((await t.http.get(`/v1/views/${shared.body.id}`).set(ana.auth)).status).toBe(404);

      expect((await feed('view.created')).map((event) => event.data.view.id)).toEqual(expect.arrayContaining([mine.body.id, shared.body.id]));
      expect((await feed('view.updated')).map((event) => event.data.view.id)).toContain(mine.body.id);
      expect((await feed('view.deleted')).map((event) => event.data.view.id)).toEqual([shared.body.id]);
    });

    it('validates the filter exactly as the ticket list does, naming filter.<field>', async () => {
      const cases: Array<[Record<string, unknown>, string]> = [
        [{ status: ['nope'] }, 'filter.status'],
        [{ assigneeId: 'someone' }, 'filter.assigneeId'],
        [{ createdAfter: 'yesterday' }, 'filter.createdAfter'],
        [{ q: 'status:bogus' }, 'filter.q'],
        [{ colour: 'red' }, 'filter.colour'],
      ];
      for (const [filter, field] of cases) {
        const response = await t.http.post('/v1/views').set(ana.auth).send({ name: 'Bad', filter });
        expect([response.status, field, response.body.errors?.map((e: { field: string }) => e.field)]).toEqual([422, field, expect.arrayContaining([field])]);
        // The ticket list answers the same filter the same way.
        const list = await t.http.get('/v1/tickets').query(filter).set(ana.auth);
        expect(list.status).toBe(422);
      }
      expect((await t.http.post('/v1/views').set(ana.auth).send({ name: 'Bad', sort: 'colour' })).status).toBe(422);
    });

    it('pages a view\'s tickets like the ticket list and counts every visible view at once', async () => {
      const tag = `paper-${Date.now()}`;
      const tickets = [await createTicket({ tags: [tag] }), await createTicket({ tags: [tag] }), await createTicket({ tags: [tag], priority: 'urgent' })];
      await createTicket({ tags: [tag] }, other);
      const view = (await t.http.post('/v1/views').set(bo.auth).send({ name: 'Paper', filter: { tag }, sort: 'createdAt' }).expect(201)).body;
      const urgent = (await t.http.post('/v1/views').set(admin).send({ name: 'Urgent paper', filter: { tag, priority: ['urgent'] }, visibility: 'shared' }).expect(201)).body;
      const searched = (await t.http.post('/v1/views').set(bo.auth).send({ name: 'Searched', filter: { q: `tag:${tag} priority:urgent` } }).expect(201)).body;

      const first = await t.http.get(`/v1/views/${view.id}/tickets?limit=2`).set(bo.auth).expect(200);
      expect(first.body.data.map((ticket: { id: string }) => ticket.id)).toEqual([tickets[0].id, tickets[1].id]);
      const second = await t.http.get(`/v1/views/${view.id}/tickets`).query({ limit: 2, cursor: first.body.nextCursor }).set(bo.auth).expect(200);
      expect(second.body).toEqual({ data: [expect.objectContaining({ id: tickets[2].id })], nextCursor: null });
      expect((await t.http.get(`/v1/views/${view.id}/tickets?limit=500`).set(bo.auth)).status).toBe(422);

      const counts = (await t.http.get('/v1/views/counts').set(bo.auth).expect(200)).body.data as Array<{ id: string; count: number; approximate: boolean }>;
      expect(counts).toEqual(expect.arrayContaining([
        { id: view.id, count: 3, approximate: false },
        { id: urgent.id, count: 1, approximate: false },
        { id: searched.id, count: 1, approximate: false },
      ]));
      // Ana sees the shared view but not Bo's personal ones.
      const anaCounts = (await t.http.get('/v1/views/counts').set(ana.auth).expect(200)).body.data.map((entry: { id: string }) => entry.id);
      expect(anaCounts).toContain(urgent.id);
      expect(anaCounts).not.toContain(view.id);
      expect((await t.http.get('/v1/views/counts').set(other).expect(200)).body.data).toEqual([]);
    });

    it('does the same through GraphQL', async () => {
      const tag = `toner-${Date.now()}`;
      const ticket = await createTicket({ tags: [tag] });
      const created = await gql(ana.auth, 'mutation($input: CreateViewInput!) { createView(input: $input) { id name visibility filter sort position } }', { input: { name: 'Toner', filter: { tag, status: ['new'] }, sort: 'updatedAt' } });
      expect(created.body.errors).toBeUndefined();
      const id = created.body.data.createView.id;
      expect(created.body.data.createView).toMatchObject({ visibility: 'personal', filter: { tag, status: ['new'] }, sort: 'updatedAt' });
      const read = await gql(ana.auth, 'query($id: ID!) { view(id: $id) { name } views { id } viewCounts { id count approximate } viewTickets(id: $id, first: 10) { edges { node { id } } pageInfo { hasNextPage } } }', { id });
      expect(read.body.errors).toBeUndefined();
      expect(read.body.data.view.name).toBe('Toner');
      expect(read.body.data.views.map((view: { id: string }) => view.id)).toContain(id);
      expect(read.body.data.viewCounts).toContainEqual({ id, count: 1, approximate: false });
      expect(read.body.data.viewTickets).toEqual({ edges: [{ node: { id: ticket.id } }], pageInfo: { hasNextPage: false } });
      expect((await gql(bo.auth, 'query($id: ID!) { view(id: $id) { name } }', { id })).body.errors[0].extensions.code).toBe('NOT_FOUND');
      const bad = await gql(ana.auth, 'mutation($input: CreateViewInput!) { createView(input: $input) { id } }', { input: { name: 'Bad', filter: { q: 'priority:whenever' } } });
      expect(bad.body.errors[0].extensions).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ field: 'filter.q', message: expect.any(String) }] });
      const updated = await gql(ana.auth, 'mutation($id: ID!, $input: UpdateViewInput!) { updateView(id: $id, input: $input) { name } }', { id, input: { name: 'Toner 2' } });
      expect(updated.body.data.updateView.name).toBe('Toner 2');
      expect((await gql(ana.auth, 'mutation($id: ID!) { deleteView(id: $id) }', { id })).body.data.deleteView).toBe(id);
      expect((await t.http.get(`/v1/views/${id}`).set(ana.auth)).status).toBe(404);
    });
  });

  describe('tags', () => {
    it('lists tags by prefix with their open tickets, per workspace', async () => {
      const stamp = Date.now();
      await createTicket({ tags: [`lst${stamp}-a`, `lst${stamp}-b`] });
      await createTicket({ tags: [`lst${stamp}-a`] });
      const resolved = await createTicket({ tags: [`lst${stamp}-a`, `lst${stamp}-c`] });
      await t.http.patch(`/v1/tickets/${resolved.id}`).set(admin).send({ status: 'resolved' }).expect(200);
      const closed = await createTicket({ tags: [`lst${stamp}-d`] });
      await t.http.patch(`/v1/tickets/${closed.id}`).set(admin).send({ status: 'closed' }).expect(200);
      await createTicket({ tags: [`lst${stamp}-z`] }, other);
      const listed = await t.http.get(`/v1/tags?prefix=LST${stamp}`).set(ana.auth).expect(200);
      expect(listed.body.data).toEqual([
        { tag: `lst${stamp}-a`, openTickets: 2 },
        { tag: `lst${stamp}-b`, openTickets: 1 },
        { tag: `lst${stamp}-c`, openTickets: 0 },
      ]);
      expect((await t.http.get(`/v1/tags?prefix=lst${stamp}&limit=1`).set(ana.auth)).body.data).toEqual([{ tag: `lst${stamp}-a`, openTickets: 2 }]);
      expect((await t.http.get(`/v1/tags?prefix=lst${stamp}`).set(other)).body.data).toEqual([{ tag: `lst${stamp}-z`, openTickets: 1 }]);
      expect((await t.http.get('/v1/tags?limit=1000').set(ana.auth)).status).toBe(422);
      const gqlTags = await gql(ana.auth, 'query($p: String) { tags(prefix: $p, limit: 2) { tag openTickets } }', { p: `lst${stamp}` });
      expect(gqlTags.body.data.tags).toEqual([{ tag: `lst${stamp}-a`, openTickets: 2 }, { tag: `lst${stamp}-b`, openTickets: 1 }]);
    });

    it('renames a tag across tickets, macros, rules and views, with history, and leaves other workspaces alone', async () => {
      const from = `old${Date.now()}`;
      const to = `new${Date.now()}`;
      const tickets = [await createTicket({ tags: [from, 'keep'] }), await createTicket({ tags: [from.toUpperCase()] }), await createTicket({ tags: [from, to] })];
      const closed = await createTicket({ tags: [from] });
      await t.http.patch(`/v1/tickets/${closed.id}`).set(admin).send({ status: 'closed' }).expect(200);
      const theirs = await createTicket({ tags: [from] }, other);
      const macro = (await t.http.post('/v1/macros').set(admin).send({ name: 'Tagger', actions: [{ type: 'add_tags', tags: [from.toUpperCase(), 'x'] }, { type: 'remove_tags', tags: [from] }, { type: 'set_priority', priority: 'high' }] }).expect(201)).body;
      const rule = (await t.http.post('/v1/automation-rules').set(admin).send({
        name: 'On old tag', enabled: false, events: ['ticket.updated'], conditions: { all: [{ field: 'tags', operator: 'contains', value: from }] }, actions: [{ type: 'add_tags', tags: [from] }],
      }).expect(201)).body;
      const view = (await t.http.post('/v1/views').set(ana.auth).send({ name: 'Old', filter: { tag: from, q: `printer tag:${from}` } }).expect(201)).body;

      expect((await t.http.post('/v1/tags/rename').set(ana.auth).send({ from, to })).status).toBe(403);
      const same = await t.http.post('/v1/tags/rename').set(admin).send({ from, to: ` ${from.toUpperCase()} ` });
      expect([same.status, same.body.errors?.[0]?.field]).toEqual([422, 'to']);

      const renamed = await t.http.post('/v1/tags/rename').set(admin).send({ from, to });
      expect(renamed.status).toBe(200);
      expect(renamed.body).toEqual({ from, to, tickets: 3, skippedTickets: 0, macros: 1, rules: 1, views: 1 });

      expect((await t.http.get(`/v1/tickets/${tickets[0].id}`).set(admin)).body.tags.sort()).toEqual(['keep', to].sort());
      expect((await t.http.get(`/v1/tickets/${tickets[1].id}`).set(admin)).body.tags).toEqual([to]);
      expect((await t.http.get(`/v1/tickets/${tickets[2].id}`).set(admin)).body.tags).toEqual([to]);
      expect((await t.http.get(`/v1/tickets/${closed.id}`).set(admin)).body.tags).toEqual([from]);
      expect((await t.http.get(`/v1/tickets/${theirs.id}`).set(other)).body.tags).toEqual([from]);
      const history = (await eventsOf(tickets[0].id)).find((event) => event.type === 'ticket.updated');
      expect(history).toMatchObject({ data: { reason: 'tag_renamed' }, changes: { tags: { before: [from, 'keep'], after: expect.arrayContaining([to, 'keep']) } } });

      expect((await t.http.get(`/v1/macros/${macro.id}`).set(admin)).body.actions).toEqual([
        { type: 'add_tags', tags: [to, 'x'] }, { type: 'remove_tags', tags: [to] }, { type: 'set_priority', priority: 'high' },
      ]);
      const ruleAfter = (await t.http.get(`/v1/automation-rules/${rule.id}`).set(admin)).body;
      expect(ruleAfter.conditions.all).toEqual([{ field: 'tags', operator: 'contains', value: to }]);
      expect(ruleAfter.actions).toEqual([{ type: 'add_tags', tags: [to] }]);
      expect((await t.http.get(`/v1/views/${view.id}`).set(ana.auth)).body.filter).toEqual({ tag: to, q: `printer tag:${to}` });
      expect((await t.http.get(`/v1/tags?prefix=${from}`).set(admin)).body.data).toEqual([]);
    });

    it('removes a tag from tickets and macro actions, and through GraphQL', async () => {
      const tag = `gone${Date.now()}`;
      const tickets = await Promise.all(Array.from({ length: 3 }, () => createTicket({ tags: [tag, 'stay'] })));
      const macro = (await t.http.post('/v1/macros').set(admin).send({ name: 'Only tag', actions: [{ type: 'add_tags', tags: [tag] }, { type: 'add_note', body: 'x' }] }).expect(201)).body;
      expect((await t.http.delete(`/v1/tags/${tag}`).set(bo.auth)).status).toBe(403);
      const removed = await t.http.delete(`/v1/tags/${tag}`).set(admin);
      expect(removed.status).toBe(200);
      expect(removed.body).toMatchObject({ from: tag, to: null, tickets: 3, macros: 1 });
      for (const ticket of tickets) expect((await t.http.get(`/v1/tickets/${ticket.id}`).set(admin)).body.tags).toEqual(['stay']);
      expect((await t.http.get(`/v1/macros/${macro.id}`).set(admin)).body.actions).toEqual([{ type: 'add_note', body: 'x' }]);
      expect((await eventsOf(tickets[0].id)).find((event) => event.type === 'ticket.updated')?.data).toMatchObject({ reason: 'tag_removed' });

      const gqlTag = `gql${Date.now()}`;
      const ticket = await createTicket({ tags: [gqlTag] });
      const renamed = await gql(admin, 'mutation($input: RenameTagInput!) { renameTag(input: $input) { from to tickets } }', { input: { from: gqlTag, to: `${gqlTag}-2` } });
      expect(renamed.body.data.renameTag).toEqual({ from: gqlTag, to: `${gqlTag}-2`, tickets: 1 });
      const deleted = await gql(admin, 'mutation($tag: String!) { deleteTag(tag: $tag) { to tickets } }', { tag: `${gqlTag}-2` });
      expect(deleted.body.data.deleteTag).toEqual({ to: null, tickets: 1 });
      expect((await t.http.get(`/v1/tickets/${ticket.id}`).set(admin)).body.tags).toEqual([]);
      expect((await gql(ana.auth, 'mutation($tag: String!) { deleteTag(tag: $tag) { tickets } }', { tag: 'x' })).body.errors[0].extensions.code).toBe('FORBIDDEN');
    });
  });
});
