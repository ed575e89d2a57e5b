import { DataSource } from 'typeorm';
import { startTestApp, TestApp } from './support/test-app';

describe('tickets, conversation and history', () => {
  let t: TestApp;
  let admin: { Authorization: string };
  let agentId: string;
  let agentAuth: { Authorization: string };

  const createTicket = (overrides: Record<string, unknown> = {}, auth = admin) =>
    t.http.post('/v1/tickets').set(auth).send({
      subject: 'Cannot log in',
      message: { body: 'Password reset link is broken' },
      requester: { email: 'Jo@Example.com', name: 'Jo' },
      ...overrides,
    });

  beforeAll(async () => {
    t = await startTestApp();
    admin = t.auth(t.main.key);
    const agent = await t.http.post('/v1/agents').set(admin).send({ name: 'Ana Agent', email: 'ana@example.com', role: 'agent' }).expect(201);
    agentId = agent.body.id;
    const key = await t.http.post('/v1/api-keys').set(admin).send({ name: 'Ana key', role: 'agent', agentId }).expect(201);
    agentAuth = t.auth(key.body.key);
  });
  afterAll(() => t.close());

  describe('creation', () => {
    it('creates a ticket with the documented shape, finding or creating the requester', async () => {
      const response = await createTicket({ tags: ['Billing', 'billing ', 'VIP'], priority: 'high', type: 'question', customFields: { plan: 'pro' } });
      expect(response.status).toBe(201);
      expect(response.headers.etag).toBe('"1"');
      expect(response.body).toEqual({
        id: expect.any(String),
        number: expect.any(Number),
        subject: 'Cannot log in',
        status: 'new',
        priority: 'high',
        type: 'question',
        tags: ['billing', 'vip'],
        channel: 'api',
        requester: { id: expect.any(String), name: 'Jo', email: 'jo@example.com' },
        assignee: null,
        team: null,
        organizationId: null,
        followUpOfId: null,
        mergedIntoId: null,
        followers: [],
        ccs: [],
        customFields: { plan: 'pro' },
        createdAt: expect.any(String),
        updatedAt: expect.any(String),
        firstRespondedAt: null,
        resolvedAt: null,
        closedAt: null,
        version: 1,
        messagesCount: 1,
        sla: null,
      });
      const again = await createTicket({ requester: { email: 'jo@example.com' } });
      expect(again.body.requester.id).toBe(response.body.requester.id);
      expect(again.body.number).toBe(response.body.number + 1);
    });

    it('accepts an existing requester by id and rejects an unknown one naming the field', async () => {
      const first = await createTicket();
      const byId = await createTicket({ requester: { id: first.body.requester.id } });
      expect(byId.status).toBe(201);
      const unknown = await createTicket({ requester: { id: '00000000-0000-4000-8000-000000000000' } });
      expect(unknown.status).toBe(422);
      expect(unknown.body.errors[0].field).toBe('requester.id');
    });

    it('answers invalid input with 422 problem bodies naming every field', async () => {
      const response = await t.http.post('/v1/tickets').set(admin).send({ subject: '', message: {}, requester: { email: 'nope' }, priority: 'asap', extra: 1 });
      expect(response.status).toBe(422);
      expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
      const fields = response.body.errors.map((e: { field: string }) => e.field);
      expect(fields).toEqual(expect.arrayContaining(['subject', 'message.body', 'requester.email', 'priority', 'extra']));
    });

    it('opens a ticket created with an assignee and records the assignment', async () => {
      const response = await createTicket({ assigneeId: agentId });
      expect(response.body.status).toBe('open');
      expect(response.body.assignee).toEqual({ id: agentId, name: 'Ana Agent' });
      const events = await t.http.get(`/v1/tickets/${response.body.id}/events`).set(admin);
      expect(events.body.data.map((e: { type: string }) => e.type)).toEqual(['ticket.created', 'ticket.message_created', 'ticket.assigned']);
    });
  });

  describe('lifecycle', () => {
    it('moves new -> open on the first public agent reply and records firstRespondedAt; notes change nothing', async () => {
      const ticket = (await createTicket()).body;
      expect(ticket.messagesCount).toBe(1);
      const note = await t.http.post(`/v1/tickets/${ticket.id}/messages`).set(agentAuth).send({ body: 'Looking into it', visibility: 'internal' });
      expect(note.status).toBe(201);
      // Internal notes count: messagesCount is the agent-side conversation length.
      expect((await t.http.get(`/v1/tickets/${ticket.id}`).set(admin)).body).toMatchObject({ status: 'new', firstRespondedAt: null, messagesCount: 2 });

      const reply = await t.http.post(`/v1/tickets/${ticket.id}/messages`).set(agentAuth).send({ body: 'Try again now', html: '<p>Try <b>again</b><script>x()</script></p>' });
      expect(reply.body).toMatchObject({ ticketId: ticket.id, sequence: 3, visibility: 'public', author: { type: 'agent', id: agentId, name: 'Ana Agent' } });
      expect(reply.body.html).toBe('<p>Try <b>again</b></p>');
      const after = (await t.http.get(`/v1/tickets/${ticket.id}`).set(admin)).body;
      expect(after.status).toBe('open');
      expect(after.firstRespondedAt).not.toBeNull();
    });

    it('reopens a pending or resolved ticket when the requester writes', async () => {
      const ticket = (await createTicket({ assigneeId: agentId })).body;
      await t.http.patch(`/v1/tickets/${ticket.id}`).set(agentAuth).send({ status: 'pending' }).expect(200);
      await t.http.post(`/v1/tickets/${ticket.id}/messages`).set(admin).send({ body: 'Still broken', authorContactId: ticket.requester.id }).expect(201);
      expect((await t.http.get(`/v1/tickets/${ticket.id}`).set(admin)).body.status).toBe('open');

      const resolved = await t.http.patch(`/v1/tickets/${ticket.id}`).set(agentAuth).send({ status: 'resolved' });
      expect(resolved.body.resolvedAt).not.toBeNull();
      await t.http.post(`/v1/tickets/${ticket.id}/messages`).set(admin).send({ body: 'Nope', authorContactId: ticket.requester.id }).expect(201);
      const reopened = (await t.http.get(`/v1/tickets/${ticket.id}`).set(admin)).body;
      expect(reopened).toMatchObject({ status: 'open', resolvedAt: null });
    });

    it('never returns to new and names the allowed transitions in a 409', async () => {
      const ticket = (await createTicket({ assigneeId: agentId })).body;
      const response = await t.http.patch(`/v1/tickets/${ticket.id}`).set(agentAuth).send({ status: 'new' });
      expect(response.status).toBe(409);
      expect(response.body).toMatchObject({ status: 409, allowed: ['pending', 'on_hold', 'resolved', 'closed'] });
      expect(response.body.detail).toContain('pending, on_hold, resolved, closed');
    });

    it('treats closed as final, and turns a requester message on it into a linked follow-up ticket', async () => {
      const ticket = (await createTicket()).body;
      const closed = await t.http.patch(`/v1/tickets/${ticket.id}`).set(admin).send({ status: 'closed' });
      expect(closed.body).toMatchObject({ status: 'closed', closedAt: expect.any(String) });
      expect((await t.http.patch(`/v1/tickets/${ticket.id}`).set(admin).send({ priority: 'low' })).status).toBe(409);
      expect((await t.http.post(`/v1/tickets/${ticket.id}/messages`).set(agentAuth).send({ body: 'late reply' })).status).toBe(409);

      const followUp = await t.http.post(`/v1/tickets/${ticket.id}/messages`).set(admin).send({ body: 'It broke again', authorContactId: ticket.requester.id });
      expect(followUp.status).toBe(201);
      expect(followUp.body.ticketId).not.toBe(ticket.id);
      const newTicket = (await t.http.get(`/v1/tickets/${followUp.body.ticketId}`).set(admin)).body;
      expect(newTicket).toMatchObject({ followUpOfId: ticket.id, status: 'new', requester: { id: ticket.requester.id } });
      expect((await t.http.get(`/v1/tickets/${ticket.id}`).set(admin)).body.status).toBe('closed');
    });

    it('only lets admins post as the requester, and only as this ticket\'s requester', async () => {
      const ticket = (await createTicket()).body;
      expect((await t.http.post(`/v1/tickets/${ticket.id}/messages`).set(agentAuth).send({ body: 'x', authorContactId: ticket.requester.id })).status).toBe(403);
      const other = (await createTicket({ requester: { email: 'someone-else@example.com' } })).body;
      const wrong = await t.http.post(`/v1/tickets/${ticket.id}/messages`).set(admin).send({ body: 'x', authorContactId: other.requester.id });
      expect(wrong.status).toBe(422);
      expect(wrong.body.errors[0].field).toBe('authorContactId');
    });
  });

  describe('updates, ETags and history', () => {
    it('honours If-Match: a stale version answers 412 and writes nothing', async () => {
      const ticket = await createTicket();
      const etag = ticket.headers.etag;
      const first = await t.http.patch(`/v1/tickets/${ticket.body.id}`).set(admin).set('If-Match', etag).send({ priority: 'urgent', tags: ['a'] });
      expect(first.status).toBe(200);
      expect(first.headers.etag).toBe('"2"');
      const stale = await t.http.patch(`/v1/tickets/${ticket.body.id}`).set(admin).set('If-Match', etag).send({ priority: 'low' });
      expect(stale.status).toBe(412);
      expect(stale.headers['content-type']).toMatch(/problem\+json/);
      const current = await t.http.get(`/v1/tickets/${ticket.body.id}`).set(admin);
      expect(current.body).toMatchObject({ priority: 'urgent', version: 2 });
      expect(current.headers.etag).toBe('"2"');
    });

    it('merges custom fields and records before/after for every changed field', async () => {
      const ticket = (await createTicket({ customFields: { plan: 'pro', seats: 3 } })).body;
      const updated = await t.http.patch(`/v1/tickets/${ticket.id}`).set(admin).send({ customFields: { seats: 5, plan: null }, subject: 'Login broken' });
      expect(updated.body.customFields).toEqual({ seats: 5 });
      const events = (await t.http.get(`/v1/tickets/${ticket.id}/events`).set(admin)).body.data;
      const update = events.find((e: { type: string }) => e.type === 'ticket.updated');
      expect(update.changes).toEqual({
        subject: { before: 'Cannot log in', after: 'Login broken' },
        customFields: { before: { plan: 'pro', seats: 3 }, after: { seats: 5 } },
      });
      expect(update.actor).toMatchObject({ type: 'api_key' });
      expect(events.map((e: { sequence: number }) => e.sequence)).toEqual(events.map((_: unknown, i: number) => i + 1));
    });

    it('writes the history and the outbox in the same transaction as the change', async () => {
      const ticket = (await createTicket()).body;
      const db = t.app.get(DataSource);
      const outbox = await db.query(`SELECT type, sequence FROM outbox_events WHERE subject_id = $1 ORDER BY sequence`, [ticket.id]);
      expect(outbox).toEqual([{ type: 'ticket.created', sequence: 1 }, { type: 'ticket.message_created', sequence: 2 }]);
      // A rejected change leaves neither history nor outbox rows behind.
      await t.http.patch(`/v1/tickets/${ticket.id}`).set(admin).send({ assigneeId: '00000000-0000-4000-8000-000000000000' }).expect(422);
      expect(await db.query(`SELECT count(*)::int AS n FROM outbox_events WHERE subject_id = $1`, [ticket.id])).toEqual([{ n: 2 }]);
    });

    it('lists messages in sequence order with internal notes marked', async () => {
      const ticket = (await createTicket()).body;
      for (const [body, visibility] of [['one', 'public'], ['two', 'internal'], ['three', 'public']]) {
        await t.http.post(`/v1/tickets/${ticket.id}/messages`).set(agentAuth).send({ body, visibility }).expect(201);
      }
      const page1 = await t.http.get(`/v1/tickets/${ticket.id}/messages?limit=2`).set(admin);
      const page2 = await t.http.get(`/v1/tickets/${ticket.id}/messages?limit=2&cursor=${page1.body.nextCursor}`).set(admin);
      const all = [...page1.body.data, ...page2.body.data];
      expect(all.map((m: { body: string }) => m.body)).toEqual(['Password reset link is broken', 'one', 'two', 'three']);
      expect(all.map((m: { sequence: number }) => m.sequence)).toEqual([1, 2, 3, 4]);
      expect(all[0].author).toMatchObject({ type: 'contact', id: ticket.requester.id });
      expect(page2.body.nextCursor).toBeNull();
      const internal = await t.http.get(`/v1/tickets/${ticket.id}/messages?visibility=internal`).set(admin);
      expect(internal.body.data.map((m: { body: string }) => m.body)).toEqual(['two']);
    });
  });

  describe('lists', () => {
    it('filters by status, priority, tag, requester and assignee, and pages without gaps or repeats while rows are inserted', async () => {
      const requester = `list-${Date.now()}@example.com`;
      const created: string[] = [];
      for (let i = 0; i < 7; i++) {
        created.push((await createTicket({ requester: { email: requester }, tags: i % 2 ? ['odd'] : ['even'], priority: i < 3 ? 'urgent' : 'low' })).body.id);
      }
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const page: { body: { data: Array<{ id: string }>; nextCursor: string | null } } = await t.http
          .get(`/v1/tickets?requesterId=${(await t.http.get(`/v1/tickets/${created[0]}`).set(admin)).body.requester.id}&limit=3&sort=createdAt${cursor ? `&cursor=${cursor}` : ''}`)
          .set(admin);
        seen.push(...page.body.data.map((ticket) => ticket.id));
        cursor = page.body.nextCursor;
        if (pages++ === 0) await createTicket({ requester: { email: requester } }); // inserted mid-paging: appears at the end
      } while (cursor);
      expect(seen.slice(0, 7)).toEqual(created);
      expect(new Set(seen).size).toBe(seen.length);
      expect(seen).toHaveLength(8);

      const odd = await t.http.get('/v1/tickets?tag=ODD&priority=low').set(admin);
      expect(odd.body.data.every((ticket: { tags: string[]; priority: string }) => ticket.tags.includes('odd') && ticket.priority === 'low')).toBe(true);
      expect(odd.body.data.length).toBeGreaterThan(0);
      const statuses = await t.http.get('/v1/tickets?status=open,pending&assigneeId=' + agentId).set(admin);
      expect(statuses.body.data.every((ticket: { status: string; assignee: { id: string } }) => ['open', 'pending'].includes(ticket.status) && ticket.assignee.id === agentId)).toBe(true);
      const unassigned = await t.http.get('/v1/tickets?assigneeId=none&limit=100').set(admin);
      expect(unassigned.body.data.every((ticket: { assignee: unknown }) => ticket.assignee === null)).toBe(true);
    });

    it('sorts by priority and rejects a cursor issued for another sort', async () => {
      const byPriority = await t.http.get('/v1/tickets?sort=-priority&limit=5').set(admin);
      const ranks = byPriority.body.data.map((ticket: { priority: string }) => ['low', 'normal', 'high', 'urgent'].indexOf(ticket.priority));
      expect(ranks).toEqual([...ranks].sort((a, b) => b - a));
      const mixed = await t.http.get(`/v1/tickets?sort=createdAt&cursor=${byPriority.body.nextCursor}`).set(admin);
      expect(mixed.status).toBe(400);
      expect(mixed.body.errors[0].field).toBe('cursor');
      expect((await t.http.get('/v1/tickets?limit=101').set(admin)).status).toBe(422);
      expect((await t.http.get('/v1/tickets?cursor=garbage').set(admin)).status).toBe(400);
    });

    it("lists a contact's ticket history", async () => {
      const ticket = (await createTicket({ requester: { email: 'history@example.com' } })).body;
      const history = await t.http.get(`/v1/contacts/${ticket.requester.id}/tickets`).set(admin);
      expect(history.body.data.map((x: { id: string }) => x.id)).toEqual([ticket.id]);
    });
  });

  describe('workspace isolation', () => {
    it('answers 404 for tickets of another workspace and never lists them', async () => {
      const ticket = (await createTicket()).body;
      const other = await t.newWorkspace();
      const theirs = t.auth(other.key);
      expect((await t.http.get(`/v1/tickets/${ticket.id}`).set(theirs)).status).toBe(404);
      expect((await t.http.patch(`/v1/tickets/${ticket.id}`).set(theirs).send({ priority: 'low' })).status).toBe(404);
      expect((await t.http.post(`/v1/tickets/${ticket.id}/messages`).set(theirs).send({ body: 'hi' })).status).toBe(404);
      expect((await t.http.get(`/v1/tickets/${ticket.id}/messages`).set(theirs)).status).toBe(404);
      expect((await t.http.get(`/v1/tickets/${ticket.id}/events`).set(theirs)).status).toBe(404);
      expect((await t.http.get(`/v1/contacts/${ticket.requester.id}/tickets`).set(theirs)).status).toBe(404);
      expect((await t.http.get('/v1/tickets?limit=100').set(theirs)).body.data).toEqual([]);
      // Their tickets cannot point at our agents, teams or contacts either.
      const crossAssign = await t.http.post('/v1/tickets').set(theirs).send({ subject: 'x', message: { body: 'x' }, requester: { id: ticket.requester.id } });
      expect(crossAssign.status).toBe(422);
      const theirTicket = await t.http.post('/v1/tickets').set(theirs).send({ subject: 'x', message: { body: 'x' }, requester: { email: 'jo@example.com' }, assigneeId: agentId });
      expect(theirTicket.status).toBe(422);
      expect(theirTicket.body.errors[0].field).toBe('assigneeId');
      const own = await t.http.post('/v1/tickets').set(theirs).send({ subject: 'x', message: { body: 'x' }, requester: { email: 'jo@example.com' } });
      // Numbers are per workspace (refused requests above may leave gaps, never reuse).
      expect(own.body.number).toBeLessThanOrEqual(3);
      expect(own.body.requester.id).not.toBe(ticket.requester.id);
    });
  });
});
