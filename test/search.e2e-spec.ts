import { DataSource } from 'typeorm';
import { systemPrincipal } from '../src/auth/principal';
import { SearchService } from '../src/search/search.service';
import { startTestApp, TestApp } from './support/test-app';

interface Hit {
  ticket: { id: string; number: number; subject: string };
  rank: number | null;
  highlights: { subject: string | null; body: string | null };
  cursor: string;
}

describe('search', () => {
  let t: TestApp;
  let admin: { Authorization: string };
  let agentAuth: { Authorization: string };
  let agentId: string;
  let db: DataSource;
  const ids: Record<'refundSubject' | 'refundBody' | 'internalOnly' | 'teamTicket', string> = {} as never;
  const numbers: Record<string, number> = {};
  let carolId: string;

  const search = async (q: string, auth = admin, extra: Record<string, unknown> = {}) => {
    const response = await t.http.get('/v1/search').query({ q, ...extra }).set(auth);
    if (response.status !== 200) throw new Error(`search ${q}: ${response.status} ${JSON.stringify(response.body)}`);
    return response.body as { data: Hit[]; nextCursor: string | null };
  };
  const found = async (q: string, auth = admin) => (await search(q, auth)).data.map((hit) => hit.ticket.id);
  const createTicket = async (body: Record<string, unknown>) => {
    const response = await t.http.post('/v1/tickets').set(admin).send(body).expect(201);
    numbers[response.body.id] = response.body.number;
    return response.body.id as string;
  };

  beforeAll(async () => {
    t = await startTestApp();
    admin = t.auth(t.main.key);
    db = t.app.get(DataSource);
    const agent = await t.http.post('/v1/agents').set(admin).send({ name: 'Ana Agent', email: 'ana@example.com', role: 'agent' }).expect(201);
    agentId = agent.body.id;
    const key = await t.http.post('/v1/api-keys').set(admin).send({ name: 'Ana key', role: 'agent', agentId }).expect(201);
    agentAuth = t.auth(key.body.key);
    const team = await t.http.post('/v1/teams').set(admin).send({ name: 'Tier 2' }).expect(201);

    ids.refundSubject = await createTicket({
      subject: 'Refund for double charge',
      message: { body: 'I was charged twice for my subscription this month' },
      requester: { email: 'alice@acme.io', name: 'Alice Smith' },
      priority: 'high',
      tags: ['billing'],
      assigneeId: agentId,
    });
    ids.refundBody = await createTicket({
      subject: 'Login problem',
      message: { body: 'Cannot reset my password. Also I want a refund & <b>asap</b>' },
      requester: { email: 'bob@globex.com', name: 'Bob Jones' },
    });
    ids.internalOnly = await createTicket({
      subject: 'Feature request',
      message: { body: 'Dark mode please' },
      requester: { email: 'carol@initech.net', name: 'Carol' },
      priority: 'low',
    });
    carolId = (await t.http.get(`/v1/tickets/${ids.internalOnly}`).set(admin)).body.requester.id;
    await t.http.post(`/v1/tickets/${ids.internalOnly}/messages`).set(admin)
      .send({ body: 'Customer threatened a refund escalation', visibility: 'internal' }).expect(201);
    ids.teamTicket = await createTicket({
      subject: 'Printer on fire',
      message: { body: 'Smoke everywhere' },
      requester: { email: 'dave@acme.io', name: 'Dave' },
      teamId: team.body.id,
    });
    await db.query(`UPDATE tickets SET created_at = '2025-06-15T12:00:00Z' WHERE id = $1`, [ids.internalOnly]);
  });
  afterAll(() => t.close());

  describe('syntax', () => {
    it('ranks a subject match above body matches and includes internal notes for agents', async () => {
      const result = await search('refund');
      expect(result.data.map((hit) => hit.ticket.id)).toEqual([ids.refundSubject, expect.any(String), expect.any(String)]);
      expect(new Set(result.data.map((hit) => hit.ticket.id))).toEqual(new Set([ids.refundSubject, ids.refundBody, ids.internalOnly]));
      const ranks = result.data.map((hit) => hit.rank!);
      expect(ranks[0]).toBeGreaterThan(ranks[1]);
      expect(ranks[1]).toBeGreaterThanOrEqual(ranks[2]);
    });

    it('matches exact phrases in order only', async () => {
      expect(await found('"double charge"')).toEqual([ids.refundSubject]);
      expect(await found('"charge double"')).toEqual([]);
    });

    it('understands or and -excluded across the whole ticket', async () => {
      expect(new Set(await found('dark or password'))).toEqual(new Set([ids.refundBody, ids.internalOnly]));
      expect(new Set(await found('refund -password'))).toEqual(new Set([ids.refundSubject, ids.internalOnly]));
    });

    it('stems words and matches requester names', async () => {
      expect(await found('charges')).toEqual([ids.refundSubject]);
      expect(await found('Jones')).toEqual([ids.refundBody]);
    });

    it('highlights matches in escaped snippets', async () => {
      const [subjectHit] = (await search('refund')).data;
      expect(subjectHit.highlights.subject).toBe('<mark>Refund</mark> for double charge');
      const bodyHit = (await search('refund asap')).data.find((hit) => hit.ticket.id === ids.refundBody)!;
      expect(bodyHit.highlights.body).toContain('<mark>refund</mark>');
      expect(bodyHit.highlights.body).toContain('<mark>refund</mark> &amp;');
      expect(bodyHit.highlights.body).toContain('<mark>asap</mark>');
      expect(bodyHit.highlights.body).not.toContain('<b>');
    });

    it('answers invalid queries with 422 naming q', async () => {
      const bad = await t.http.get('/v1/search').query({ q: 'status:bogus' }).set(admin);
      expect(bad.status).toBe(422);
      expect(bad.body.errors).toEqual([{ field: 'q', message: expect.stringContaining('status: must be one of') }]);
      const missing = await t.http.get('/v1/search').set(admin);
      expect(missing.status).toBe(422);
      expect(missing.body.errors.map((e: { field: string }) => e.field)).toContain('q');
    });
  });

  describe('qualifiers', () => {
    it('filters by status, priority and tag, alone and negated', async () => {
      expect(await found('status:open')).toEqual([ids.refundSubject]);
      expect(new Set(await found('-status:open'))).toEqual(new Set([ids.refundBody, ids.internalOnly, ids.teamTicket]));
      expect(await found('priority:low')).toEqual([ids.internalOnly]);
      expect(await found('refund priority:high,urgent')).toEqual([ids.refundSubject]);
      expect(await found('tag:BILLING')).toEqual([ids.refundSubject]);
    });

    it('filters by assignee me, none and id', async () => {
      expect(await found('assignee:me', agentAuth)).toEqual([ids.refundSubject]);
      expect(await found(`assignee:${agentId}`)).toEqual([ids.refundSubject]);
      expect(new Set(await found('refund assignee:none'))).toEqual(new Set([ids.refundBody, ids.internalOnly]));
      const notAnAgent = await t.http.get('/v1/search').query({ q: 'assignee:me' }).set(admin);
      expect(notAnAgent.status).toBe(422);
    });

    it('filters by team name and requester email or part of it', async () => {
      expect(await found('team:"tier 2"')).toEqual([ids.teamTicket]);
      expect(await found('team:nonexistent')).toEqual([]);
      expect(await found('requester:globex')).toEqual([ids.refundBody]);
      expect(new Set(await found('requester:acme.io'))).toEqual(new Set([ids.refundSubject, ids.teamTicket]));
      expect(await found('requester:Alice')).toEqual([ids.refundSubject]);
    });

    it('filters by creation date with every comparison', async () => {
      expect(await found('created:2025-06-15')).toEqual([ids.internalOnly]);
      expect(await found('created<=2025-06-15')).toEqual([ids.internalOnly]);
      expect(await found('created<2025-06-15')).toEqual([]);
      expect(await found('created<2025-06-16 refund -charge')).toEqual([ids.internalOnly]);
      expect(new Set(await found('created>2025-06-15'))).toEqual(new Set([ids.refundSubject, ids.refundBody, ids.teamTicket]));
    });

    it('finds a ticket by #number and by a partial email or number', async () => {
      expect(await found(`#${numbers[ids.refundBody]}`)).toEqual([ids.refundBody]);
      expect(await found('bob@glob')).toEqual([ids.refundBody]);
      await db.query(`UPDATE tickets SET number = 987654 WHERE id = $1`, [ids.teamTicket]);
      expect(await found('8765')).toEqual([ids.teamTicket]);
    });
  });

  it('keeps the search document current when subjects and requesters change', async () => {
    await t.http.patch(`/v1/tickets/${ids.teamTicket}`).set(admin).send({ subject: 'Printer jammed' }).expect(200);
    expect(await found('jammed')).toEqual([ids.teamTicket]);
    expect(await found('fire')).toEqual([]);
    const dave = (await t.http.get(`/v1/tickets/${ids.teamTicket}`).set(admin)).body.requester.id;
    await t.http.patch(`/v1/contacts/${dave}`).set(admin).send({ name: 'Davina Quux' }).expect(200);
    expect(await found('quux')).toEqual([ids.teamTicket]);
  });

  it('pages through every hit with cursors, in rank order, without repeats', async () => {
    const all = (await search('refund or printer or dark')).data.map((hit) => hit.ticket.id);
    expect(all.length).toBe(4);
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await search('refund or printer or dark', admin, { limit: 1, ...(cursor ? { cursor } : {}) });
      expect(page.data.length).toBe(1);
      seen.push(page.data[0].ticket.id);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toEqual(all);

    const byDate: string[] = [];
    cursor = undefined;
    do {
      const page = await search('-tag:none', admin, { limit: 3, ...(cursor ? { cursor } : {}) });
      byDate.push(...page.data.map((hit) => hit.ticket.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(byDate).toEqual([ids.teamTicket, ids.refundBody, ids.refundSubject, ids.internalOnly]);
  });

  it('never matches or quotes internal notes in the requester-facing variant', async () => {
    const service = t.app.get(SearchService);
    const principal = systemPrincipal(t.main.id);
    const asCarol = { kind: 'requester' as const, contactId: carolId };
    expect((await service.search(principal, { q: 'refund' }, asCarol)).data).toEqual([]);
    expect((await service.search(principal, { q: 'escalation' }, asCarol)).data).toEqual([]);
    const dark = await service.search(principal, { q: 'dark or escalation' }, asCarol);
    expect(dark.data.map((hit) => hit.ticket.id)).toEqual([ids.internalOnly]);
    expect(dark.data[0].highlights.body).toContain('<mark>Dark</mark>');
    expect(dark.data[0].highlights.body).not.toContain('escalation');
    // Only the requester's own tickets.
    expect((await service.search(principal, { q: 'charged' }, asCarol)).data).toEqual([]);
    // The agents' variant of the same query does see the note.
    expect((await service.search(principal, { q: 'escalation' })).data.map((hit) => hit.ticket.id)).toEqual([ids.internalOnly]);
  });

  it('keeps workspaces apart', async () => {
    const other = await t.newWorkspace();
    const otherAuth = t.auth(other.key);
    expect(await found('refund', otherAuth)).toEqual([]);
    const mine = await t.http.post('/v1/tickets').set(otherAuth)
      .send({ subject: 'Refund please', message: { body: 'x' }, requester: { email: 'alice@acme.io' } }).expect(201);
    expect(await found('refund', otherAuth)).toEqual([mine.body.id]);
    expect(await found('refund')).not.toContain(mine.body.id);
    expect(await found(`#${mine.body.number}`, otherAuth)).toEqual([mine.body.id]);
  });

  it('narrows GET /v1/tickets and the GraphQL tickets list with q, keeping their sort', async () => {
    const list = await t.http.get('/v1/tickets').query({ q: 'refund -priority:high', sort: 'createdAt' }).set(admin).expect(200);
    expect(list.body.data.map((ticket: { id: string }) => ticket.id)).toEqual([ids.internalOnly, ids.refundBody]);
    const combined = await t.http.get('/v1/tickets').query({ q: 'refund', status: 'open' }).set(admin).expect(200);
    expect(combined.body.data.map((ticket: { id: string }) => ticket.id)).toEqual([ids.refundSubject]);
    const me = await t.http.get('/v1/tickets').query({ q: 'assignee:me' }).set(agentAuth);
    expect(me.status).toBe(422);
    expect(me.body.errors[0].field).toBe('q');
    const graphql = await t.http.post('/graphql').set(admin)
      .send({ query: '{ tickets(filter: { q: "#' + numbers[ids.refundBody] + '" }) { edges { node { id } } } }' });
    expect(graphql.body.data.tickets.edges.map((edge: { node: { id: string } }) => edge.node.id)).toEqual([ids.refundBody]);
  });

  it('serves GraphQL search as a connection', async () => {
    const query = `query($q: String!, $after: String) { search(q: $q, first: 1, after: $after) {
      edges { cursor node { rank highlights { subject } ticket { id subject } } } pageInfo { hasNextPage endCursor } } }`;
    const first = await t.http.post('/graphql').set(admin).send({ query, variables: { q: 'refund' } });
    expect(first.body.errors).toBeUndefined();
    const connection = first.body.data.search;
    expect(connection.edges[0].node.ticket.id).toBe(ids.refundSubject);
    expect(connection.edges[0].node.highlights.subject).toBe('<mark>Refund</mark> for double charge');
    expect(connection.pageInfo.hasNextPage).toBe(true);
    const second = await t.http.post('/graphql').set(admin).send({ query, variables: { q: 'refund', after: connection.pageInfo.endCursor } });
    expect(second.body.data.search.edges[0].node.ticket.id).not.toBe(ids.refundSubject);
  });
});
