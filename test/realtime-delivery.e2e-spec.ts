import type { TicketView } from '../src/tickets/dto/ticket.dto';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { systemPrincipal } from '../src/auth/principal';
import { Outbox } from '../src/events/outbox';
import { baseUrlOf, SseClient } from './support/sse-client';
import { startTestApp, TestApp } from './support/test-app';

const QUIET = { WEBHOOK_DISPATCHER_ENABLED: 'false', SLA_SCHEDULER_ENABLED: 'false', MAIL_WORKER_ENABLED: 'false' };

describe('realtime delivery: commit order, instances, the portal', () => {
  let t: TestApp;
  let admin: { Authorization: string };
  const clients: SseClient[] = [];
  const stream = async (app: TestApp, path: string, headers: Record<string, string>) => {
    const client = await SseClient.open(`${baseUrlOf(app.app.getHttpServer())}${path}`, headers);
    clients.push(client);
    expect(client.status).toBe(200);
    return client;
  };
  const createTicket = async (app: TestApp, subject = 'Delivery') =>
    (await app.http.post('/v1/tickets').set(admin).send({ subject, message: { body: 'Help' }, requester: { email: `r-${randomUUID()}@example.com` } }).expect(201)).body;

  beforeAll(async () => {
    t = await startTestApp(QUIET);
    admin = t.auth(t.main.key);
  });
  afterEach(() => clients.splice(0).forEach((client) => client.close()));
  afterAll(() => t.close());

  it('delivers every event of 20 concurrent transactions exactly once, in each ticket\'s sequence order', async () => {
    const tickets = await Promise.all([1, 2, 3, 4].map((n) => createTicket(t, `Concurrent ${n}`)));
    const ids = new Set(tickets.map((ticket) => ticket.id));
    const start = (await t.http.get('/v1/events').query({ types: 'team.deleted' }).set(admin).expect(200)).body.nextCursor;
    const live = await stream(t, `/v1/events/stream?types=ticket.updated&after=${start}`, admin);

    const dataSource = t.app.get(DataSource);
    const outbox = t.app.get(Outbox);
    const delay = () => new Promise((resolve) => setTimeout(resolve, Math.random() * 150));
    const writers = Array.from({ length: 20 }, (_, n) => dataSource.transaction(async (manager) => {
      // Take a transaction id before the ticket lock: id order then differs from lock (sequence) order.
      await manager.query('SELECT pg_current_xact_id()');
      await delay();
      const ticketId = tickets[n % tickets.length].id;
      const [[{ sequence }]] = await manager.query(
        'UPDATE tickets SET last_event_sequence = last_event_sequence + 1 WHERE workspace_id = $1 AND id = $2 RETURNING last_event_sequence AS sequence',
        [t.main.id, ticketId],
      );
      await outbox.record(manager, systemPrincipal(t.main.id), [{ type: 'ticket.updated', subjectType: 'ticket', subjectId: ticketId, sequence, data: { ticket: { id: ticketId } as unknown as TicketView, changes: {} } }]);
      await delay();
    }));

    // A long-polling reader follows the feed while the writers commit.
    const polled: Array<{ id: string; cursor: string; data: { ticket: { id: string }; sequence: number } }> = [];
    let cursor = start;
    const reading = (async () => {
      while (polled.length < 20) {
        const page = await t.http.get('/v1/events').query({ after: cursor, types: 'ticket.updated', wait: 5, limit: 7 }).set(admin).expect(200);
        polled.push(...page.body.data.filter((event: { data: { ticket: { id: string } } }) => ids.has(event.data.ticket.id)));
        cursor = page.body.nextCursor;
      }
    })();
    await Promise.all(writers);
    await reading;
    await live.waitFor((events) => events.filter((event) => ids.has(event.data.data.ticket.id)).length >= 20, 'the 20 events on the stream');

    for (const seen of [polled, live.events.map((event) => event.data).filter((event) => ids.has(event.data.ticket.id))]) {
      expect(seen).toHaveLength(20);
      expect(new Set(seen.map((event) => event.id)).size).toBe(20);
      const cursors = seen.map((event) => BigInt(event.cursor));
      expect(cursors.every((value, index) => index === 0 || value > cursors[index - 1])).toBe(true);
      for (const ticket of tickets) {
        const sequences = seen.filter((event) => event.data.ticket.id === ticket.id).map((event) => event.data.sequence);
        expect(sequences).toEqual([...sequences].sort((a, b) => a - b));
        expect(sequences).toHaveLength(5);
      }
    }
    expect(live.events.map((event) => event.id)).toEqual(polled.map((event) => event.cursor));
  });

  it('reaches a stream on another instance of the same database, in the same order', async () => {
    const other = await startTestApp(QUIET, { sameDatabaseAs: t });
    try {
      const onOther = await stream(other, '/v1/events/stream?types=ticket.created', admin);
      const onThis = await stream(t, '/v1/events/stream?types=ticket.created', admin);
      const created = [await createTicket(t, 'From A'), await createTicket(other, 'From B'), await createTicket(t, 'From A again')];
      await onOther.waitFor((events) => events.length >= 3, 'three tickets on the other instance');
      await onThis.waitFor((events) => events.length >= 3, 'three tickets on this instance');
      expect(onOther.events.map((event) => event.data.data.ticket.id)).toEqual(created.map((ticket) => ticket.id));
      expect(onOther.ids()).toEqual(onThis.ids());
    } finally {
      clients.splice(0).forEach((client) => client.close());
      await other.app.close();
    }
  });

  it('shows a requester only their own tickets and public messages, never internal notes', async () => {
    const mine = (await t.http.post('/v1/contacts').set(admin).send({ email: `me-${randomUUID()}@example.com` }).expect(201)).body;
    const token = (await t.http.post('/v1/portal/tokens').set(admin).send({ contactId: mine.id }).expect(201)).body.token;
    const portal = await stream(t, `/v1/portal/events/stream?access_token=${encodeURIComponent(token)}`, {});
    // Agent credentials are no portal credentials.
    expect((await SseClient.open(`${baseUrlOf(t.app.getHttpServer())}/v1/portal/events/stream`, admin)).status).toBe(401);

    const ticket = (await t.http.post('/v1/portal/tickets').set(t.auth(token)).send({ subject: 'My printer', message: { body: 'It is on fire' } }).expect(201)).body;
    const someoneElses = await createTicket(t, 'Someone else');
    await t.http.post(`/v1/tickets/${someoneElses.id}/messages`).set(admin).send({ body: 'Public reply to someone else' }).expect(201);
    await t.http.post(`/v1/tickets/${ticket.id}/messages`).set(admin).send({ body: 'SECRET: internal note', visibility: 'internal' }).expect(201);
    await t.http.patch(`/v1/tickets/${ticket.id}`).set(admin).send({ tags: ['vip-secret-tag'], priority: 'urgent' }).expect(200);
    await t.http.post(`/v1/tickets/${ticket.id}/messages`).set(admin).send({ body: 'We are on it' }).expect(201);

    await portal.waitFor((events) => events.some((event) => event.data.data.message?.body === 'We are on it'), 'the public reply');
    const text = JSON.stringify(portal.events);
    for (const hidden of ['SECRET', someoneElses.id, 'vip-secret-tag', 'urgent', 'internal', t.main.id]) expect(text).not.toContain(hidden);
    expect(portal.events.map((event) => event.event)).toEqual(expect.arrayContaining(['ticket.created', 'ticket.message_created']));
    expect(portal.events.every((event) => event.data.data.ticket.id === ticket.id)).toBe(true);
  });
});
