import { createServer, IncomingHttpHeaders, Server } from 'node:http';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { eventually } from './support/eventually';
import { findPgBouncer, PGBOUNCER_MISSING, startPgBouncer, TestPgBouncer } from './support/pgbouncer';
import { skipBecause } from './support/skip-because';
import { createTestDatabase, startTestApp, TestApp, TestDatabase } from './support/test-app';

// Issue 17: DATABASE_URL through PgBouncer in transaction pooling mode, DATABASE_DIRECT_URL for what needs a session
// (LISTEN connections, the migration lock). .ci/run installs pgbouncer; without it this suite shows up as skipped.
const binary = findPgBouncer();
const describeWithPgBouncer = skipBecause(binary ? null : PGBOUNCER_MISSING);

async function adminConsole<T>(url: string, sql: string): Promise<T[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql)).rows as T[];
  } finally {
    await client.end();
  }
}

describeWithPgBouncer('through PgBouncer in transaction pooling mode', () => {
  let database: TestDatabase;
  let bouncer: TestPgBouncer;
  let t: TestApp;
  let admin: { Authorization: string };
  let receiver: Server;
  let receiverUrl: string;
  const deliveries: Array<{ headers: IncomingHttpHeaders; body: { type: string; data: { ticket?: { id: string } } } }> = [];

  beforeAll(async () => {
    database = await createTestDatabase();
    bouncer = await startPgBouncer(binary!, database.url);
    t = await startTestApp({ DATABASE_DIRECT_URL: database.url }, { database, connectVia: bouncer.url });
    admin = t.auth(t.main.key);
    receiver = createServer((incoming, response) => {
      let body = '';
      incoming.on('data', (chunk) => (body += chunk));
      incoming.on('end', () => {
        deliveries.push({ headers: incoming.headers, body: JSON.parse(body) });
        response.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    receiverUrl = `http://127.0.0.1:${(receiver.address() as { port: number }).port}/hook`;
  });

  afterAll(async () => {
    await t?.close();
    await new Promise((resolve) => receiver?.close(resolve));
    await bouncer?.stop();
    await database?.drop();
  });

  it('runs the pool through PgBouncer and every LISTEN connection straight to PostgreSQL', async () => {
    const clients = await adminConsole<{ database: string; application_name: string }>(bouncer.adminUrl, 'SHOW CLIENTS');
    const ours = clients.filter((client) => client.database !== 'pgbouncer');
    expect(ours.length).toBeGreaterThan(0);
    expect(ours.filter((client) => /listener/.test(client.application_name))).toEqual([]);
    const listeners: Array<{ application_name: string }> = await t.app
      .get(DataSource)
      .query(`SELECT application_name FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'LISTEN %'`);
    expect(listeners.map((row) => row.application_name)).toEqual(expect.arrayContaining(['deskline-realtime-listener', 'deskline-webhooks-listener']));
  });

  it('creates tickets with idempotency keys, adds messages, and replays a retried create', async () => {
    const body = { subject: 'Through the bouncer', message: { body: 'First' }, requester: { email: 'jo@example.com' } };
    const key = `pgb-${randomUUID()}`;
    const created = await t.http.post('/v1/tickets').set(admin).set('Idempotency-Key', key).send(body).expect(201);
    const replay = await t.http.post('/v1/tickets').set(admin).set('Idempotency-Key', key).send(body).expect(201);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.body.id).toBe(created.body.id);
    // One after another (a burst of parallel requests exhausted the bouncer's server pool here; see the report).
    const many = [];
    for (let i = 0; i < 4; i++) many.push(await t.http.post('/v1/tickets').set(admin).set('Idempotency-Key', `${key}-${i}`).send({ ...body, subject: `Next ${i}` }).expect(201));
    for (const ticket of many) await t.http.post(`/v1/tickets/${ticket.body.id}/messages`).set(admin).send({ body: 'A reply' }).expect(201);
    const messages = await t.http.get(`/v1/tickets/${many[0].body.id}/messages`).set(admin).expect(200);
    expect(messages.body.data.map((message: { body: string }) => message.body)).toEqual(['First', 'A reply']);
    const stats = await adminConsole<{ database: string; total_xact_count: string }>(bouncer.adminUrl, 'SHOW STATS');
    expect(Number(stats.find((row) => row.database === database.url.split('/').pop())?.total_xact_count)).toBeGreaterThan(8);
  });

  it('logs an agent in and accepts the access token', async () => {
    await t.http.post('/v1/agents').set(admin).send({ name: 'Bo', email: 'bo@example.com', role: 'agent', password: 'a long enough password' }).expect(201);
    const login = await t.http.post('/v1/auth/login').send({ email: 'bo@example.com', password: 'a long enough password', workspace: 'default' }).expect(200);
    const tickets = await t.http.get('/v1/tickets').set({ Authorization: `Bearer ${login.body.accessToken}` });
    expect(tickets.status).toBe(200);
    expect(tickets.body.data.length).toBeGreaterThan(0);
    const refreshed = await t.http.post('/v1/auth/refresh').send({ refreshToken: login.body.refreshToken });
    expect(refreshed.status).toBe(200);
  });

  it('delivers a webhook, woken by the LISTEN connection', async () => {
    await t.http.post('/v1/webhooks').set(admin).send({ url: receiverUrl, events: ['ticket.created'], description: 'pgbouncer' }).expect(201);
    const ticket = (await t.http.post('/v1/tickets').set(admin).send({ subject: 'Hooked', message: { body: 'x' }, requester: { email: 'hook@example.com' } }).expect(201)).body;
    const delivery = await eventually(() => deliveries.find((candidate) => candidate.body.data.ticket?.id === ticket.id), 'the webhook delivery');
    expect(delivery.body.type).toBe('ticket.created');
  });

  it('wakes an event-feed long-poll on a new event', async () => {
    const start = (await t.http.get('/v1/events').query({ types: 'team.deleted', limit: 1 }).set(admin).expect(200)).body.nextCursor;
    const pending = t.http.get('/v1/events').query({ after: start, types: 'contact.created', wait: 20 }).set(admin).then((response) => response);
    await eventually(() => (t.app.get(require('../src/realtime/hub/realtime-hub').RealtimeHub).subscriptionCount > 0 ? true : null), 'the long-poll to subscribe');
    const began = Date.now();
    const contact = (await t.http.post('/v1/contacts').set(admin).send({ email: `c-${randomUUID()}@example.com` }).expect(201)).body;
    const response = await pending;
    expect(response.status).toBe(200);
    expect(response.body.data.map((event: { data: { contact: { id: string } } }) => event.data.contact.id)).toEqual([contact.id]);
    expect(Date.now() - began).toBeLessThan(15_000);
  });
});
