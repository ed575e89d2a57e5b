import { DataSource } from 'typeorm';
import { startTestApp, TestApp } from './support/test-app';

describe('satisfaction ratings', () => {
  let t: TestApp;
  let admin: { Authorization: string };
  let db: DataSource;

  const newTicket = async () =>
    (await t.http.post('/v1/tickets').set(admin).send({ subject: 'Help', message: { body: 'please' }, requester: { email: 'jo@example.com' } }).expect(201)).body;
  const setStatus = (id: string, status: string) => t.http.patch(`/v1/tickets/${id}`).set(admin).send({ status }).expect(200);
  const rate = (id: string, body: Record<string, unknown>, auth = admin) => t.http.post(`/v1/tickets/${id}/satisfaction`).set(auth).send(body);

  beforeAll(async () => {
    t = await startTestApp();
    admin = t.auth(t.main.key);
    db = t.app.get(DataSource);
  });
  afterAll(() => t.close());

  it('refuses a rating before the ticket is resolved', async () => {
    const ticket = await newTicket();
    const response = await rate(ticket.id, { rating: 'good' });
    expect(response.status).toBe(409);
    expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(response.body.type).toContain('ticket-not-resolved');
  });

  it('accepts one rating per resolution, and another after a reopen and a new resolution', async () => {
    const ticket = await newTicket();
    await setStatus(ticket.id, 'resolved');
    const first = await rate(ticket.id, { rating: 'good', comment: 'Quick and kind' });
    expect(first.status).toBe(201);
    const resolvedAt = (await t.http.get(`/v1/tickets/${ticket.id}`).set(admin)).body.resolvedAt;
    expect(first.body).toEqual({
      id: expect.any(String),
      ticketId: ticket.id,
      requesterId: ticket.requester.id,
      rating: 'good',
      comment: 'Quick and kind',
      resolvedAt,
      createdAt: expect.any(String),
    });
    const again = await rate(ticket.id, { rating: 'bad' });
    expect(again.status).toBe(409);
    expect(again.body.type).toContain('already-rated');

    await setStatus(ticket.id, 'open');
    expect((await rate(ticket.id, { rating: 'bad' })).status).toBe(409);
    await setStatus(ticket.id, 'resolved');
    const second = await rate(ticket.id, { rating: 'bad' });
    expect(second.status).toBe(201);
    // Closing keeps the resolution it closes, so it cannot be rated a third time.
    await setStatus(ticket.id, 'closed');
    expect((await rate(ticket.id, { rating: 'good' })).status).toBe(409);
    const [{ count }] = await db.query('SELECT count(*)::int AS count FROM satisfaction_ratings WHERE ticket_id = $1', [ticket.id]);
    expect(count).toBe(2);
  });

  it('lets a closed ticket that was never rated be rated once', async () => {
    const ticket = await newTicket();
    await setStatus(ticket.id, 'closed');
    expect((await rate(ticket.id, { rating: 'good' })).status).toBe(201);
    expect((await rate(ticket.id, { rating: 'good' })).status).toBe(409);
  });

  it('records the rating as an outbox event in the same transaction', async () => {
    const ticket = await newTicket();
    await setStatus(ticket.id, 'resolved');
    const rating = await rate(ticket.id, { rating: 'bad', comment: 'slow' }).expect(201);
    const events = await db.query(`SELECT payload FROM outbox_events WHERE type = 'ticket.satisfaction_rated' AND subject_id = $1`, [ticket.id]);
    expect(events).toHaveLength(1);
    expect(events[0].payload.data.rating).toMatchObject({ id: rating.body.id, rating: 'bad', comment: 'slow' });
  });

  it('validates the body naming the fields', async () => {
    const ticket = await newTicket();
    await setStatus(ticket.id, 'resolved');
    const response = await rate(ticket.id, { rating: 'meh', comment: 'x'.repeat(2001), stars: 5 });
    expect(response.status).toBe(422);
    expect(response.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['comment', 'rating', 'stars']);
  });

  it('is relayed by an admin key, not given by agents, and never reaches another workspace', async () => {
    const ticket = await newTicket();
    await setStatus(ticket.id, 'resolved');
    const agent = await t.http.post('/v1/agents').set(admin).send({ name: 'Ana', email: 'ana@example.com', role: 'agent' }).expect(201);
    const key = await t.http.post('/v1/api-keys').set(admin).send({ name: 'Ana key', role: 'agent', agentId: agent.body.id }).expect(201);
    expect((await rate(ticket.id, { rating: 'good' }, t.auth(key.body.key))).status).toBe(403);

    const other = await t.newWorkspace();
    const foreign = await rate(ticket.id, { rating: 'good' }, t.auth(other.key));
    expect(foreign.status).toBe(404);
    expect((await rate(ticket.id, { rating: 'good' })).status).toBe(201);
  });
});
