import * as jwt from 'jsonwebtoken';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { OpenStreams } from '../src/realtime/stream/open-streams';
import { baseUrlOf, SseClient } from './support/sse-client';
import { startTestApp, TestApp } from './support/test-app';

describe('event stream (GET /v1/events/stream, server-sent events)', () => {
  let t: TestApp;
  let base: string;
  let admin: { Authorization: string };
  const clients: SseClient[] = [];

  const open = async (query: Record<string, string> = {}, headers: Record<string, string> = { Authorization: `Bearer ${t.main.key}` }, options = {}) => {
    const client = await SseClient.open(`${base}/v1/events/stream?${new URLSearchParams(query).toString()}`, headers, options);
    clients.push(client);
    return client;
  };
  const createTicket = async (subject = 'Stream me', body = 'Help') =>
    (await t.http.post('/v1/tickets').set(admin).send({ subject, message: { body }, requester: { email: `r-${randomUUID()}@example.com` } }).expect(201)).body;
  const newAgent = async (role = 'agent') => {
    const email = `a-${randomUUID()}@example.com`;
    const agent = (await t.http.post('/v1/agents').set(admin).send({ name: 'Streamer', email, role, password: 'correct horse battery' }).expect(201)).body;
    const login = (await t.http.post('/v1/auth/login').send({ email, password: 'correct horse battery', workspace: 'default' }).expect(200)).body;
    return { agent, login };
  };

  beforeAll(async () => {
    t = await startTestApp({
      WEBHOOK_DISPATCHER_ENABLED: 'false', SLA_SCHEDULER_ENABLED: 'false', MAIL_WORKER_ENABLED: 'false',
      STREAM_HEARTBEAT_MS: '100', STREAM_AUTH_RECHECK_MS: '100', STREAM_MAX_BUFFERED_BYTES: '65536',
      // Shorter than the streams live here: a stream must outlast the request time budget.
      REQUEST_TIMEOUT_MS: '2000',
      BODY_LIMIT_BYTES: String(2 * 1024 * 1024),
    });
    base = baseUrlOf(t.app.getHttpServer());
    admin = t.auth(t.main.key);
  });
  afterEach(() => clients.splice(0).forEach((client) => client.close()));
  afterAll(() => t.close());

  it('streams committed events with id = cursor, filtered, with heartbeats, past the request time budget', async () => {
    const stream = await open({ types: 'ticket.created,ticket.status_changed' });
    expect(stream.status).toBe(200);
    expect(stream.response.headers['content-type']).toMatch(/^text\/event-stream/);
    expect(stream.response.headers['x-request-id']).toBeDefined();
    // Longer than REQUEST_TIMEOUT_MS before anything happens.
    await stream.waitFor(() => stream.comments.filter((comment) => comment === 'heartbeat').length >= 25, 'heartbeats for 2.5 s');
    const ticket = await createTicket();
    await t.http.patch(`/v1/tickets/${ticket.id}`).set(admin).send({ status: 'pending' }).expect(200);
    await stream.waitFor((events) => events.length >= 2, 'two events');
    expect(stream.events.map((event) => event.event)).toEqual(['ticket.created', 'ticket.status_changed']);
    for (const event of stream.events) {
      expect(event.id).toBe(event.data.cursor);
      expect(event.data).toMatchObject({ type: event.event, workspaceId: t.main.id, data: { ticket: { id: ticket.id } } });
    }
    expect(stream.ended).toBe(false);
  });

  it('resumes with Last-Event-ID or after: nothing lost, nothing repeated', async () => {
    const first = await open({ types: 'ticket.created' });
    const before = [await createTicket('one'), await createTicket('two')];
    await first.waitFor((events) => events.length === 2, 'the first two tickets');
    const lastSeen = first.lastId()!;
    first.close();
    const missed = [await createTicket('three'), await createTicket('four')];
    const resumed = await open({ types: 'ticket.created' }, { Authorization: `Bearer ${t.main.key}`, 'Last-Event-ID': lastSeen });
    const later = await createTicket('five');
    await resumed.waitFor((events) => events.length >= 3, 'the missed tickets and the new one');
    expect(resumed.events.map((event) => event.data.data.ticket.id)).toEqual([...missed, later].map((ticket) => ticket.id));
    expect(first.events.map((event) => event.data.data.ticket.id)).toEqual(before.map((ticket) => ticket.id));

    const byQuery = await open({ types: 'ticket.created', after: lastSeen });
    await byQuery.waitFor((events) => events.length >= 3, 'the same three by ?after');
    expect(byQuery.ids()).toEqual(resumed.ids());

    const bad = await open({}, { Authorization: `Bearer ${t.main.key}`, 'Last-Event-ID': 'nonsense' });
    expect(bad.status).toBe(422);
    expect(JSON.parse(bad.body).errors[0].field).toBe('Last-Event-ID');
  });

  it('takes the credential from ?access_token= for EventSource, and refuses a stream without one', async () => {
    const stream = await open({ types: 'ticket.created', access_token: t.main.key }, {});
    expect(stream.status).toBe(200);
    const ticket = await createTicket();
    await stream.waitFor((events) => events.some((event) => event.data.data.ticket.id === ticket.id), 'the ticket');
    const refused = await open({ access_token: 'dsk_not_a_key' }, {});
    expect(refused.status).toBe(401);
    expect((await open({}, {})).status).toBe(401);
    // Elsewhere a token in the URL is not a credential.
    expect((await t.http.get(`/v1/events?access_token=${t.main.key}`)).status).toBe(401);
  });

  it('keeps workspaces apart', async () => {
    const other = await t.newWorkspace();
    const theirs = await open({}, { Authorization: `Bearer ${other.key}` });
    const ours = await open({ types: 'ticket.created' });
    const ticket = await createTicket('Not theirs');
    await ours.waitFor((events) => events.some((event) => event.data.data.ticket.id === ticket.id), 'our ticket');
    const contact = (await t.http.post('/v1/contacts').set(t.auth(other.key)).send({ email: `c-${randomUUID()}@example.com` }).expect(201)).body;
    await theirs.waitFor((events) => events.some((event) => event.event === 'contact.created'), 'their own contact');
    expect(JSON.stringify(theirs.events)).not.toContain(ticket.id);
    expect(JSON.stringify(ours.events)).not.toContain(contact.id);
  });

  it('cuts off a client that stops reading once its unsent bytes pass the bound', async () => {
    // Only this stream listens, so the open count tells when the server dropped it.
    const slow = await open({ types: 'ticket.message_created' }, { Authorization: `Bearer ${t.main.key}` }, { paused: true });
    const ticket = await createTicket();
    // The loopback socket's kernel buffers take a few megabytes before the server's own buffer grows.
    const big = 'x'.repeat(60_000);
    const streams = t.app.get(OpenStreams);
    const openBefore = streams.size;
    for (let i = 0; i < 400 && streams.size >= openBefore; i++) {
      await t.http.post(`/v1/tickets/${ticket.id}/messages`).set(admin).send({ body: big, visibility: 'internal' }).expect(201);
    }
    expect(streams.size).toBe(openBefore - 1);
    await slow.waitForEnd('the slow client to be disconnected');
  });

  it('closes the stream with a reason when its API key is revoked', async () => {
    const key = (await t.http.post('/v1/api-keys').set(admin).send({ name: 'revoke me', role: 'agent' }).expect(201)).body;
    const stream = await open({}, { Authorization: `Bearer ${key.key}` });
    expect(stream.status).toBe(200);
    await t.http.delete(`/v1/api-keys/${key.id}`).set(admin).expect(204);
    await stream.waitForEnd();
    expect(stream.events.at(-1)).toMatchObject({ id: null, event: 'stream.closed', data: { reason: 'credential_revoked', reconnect: false } });
  });

  it('closes the stream when the session logs out, or the agent is deactivated', async () => {
    const { login } = await newAgent();
    const stream = await open({}, { Authorization: `Bearer ${login.accessToken}` });
    expect(stream.status).toBe(200);
    await t.http.post('/v1/auth/logout').send({ refreshToken: login.refreshToken }).expect(204);
    await stream.waitForEnd();
    expect(stream.events.at(-1)).toMatchObject({ event: 'stream.closed', data: { reason: 'credential_revoked' } });

    const second = await newAgent();
    const other = await open({}, { Authorization: `Bearer ${second.login.accessToken}` });
    await t.http.patch(`/v1/agents/${second.agent.id}`).set(admin).send({ active: false }).expect(200);
    await other.waitForEnd();
    expect(other.events.at(-1)).toMatchObject({ event: 'stream.closed', data: { reason: 'credential_revoked' } });
  });

  it('closes the stream when its access token expires (exp)', async () => {
    const { login } = await newAgent();
    const claims = jwt.decode(login.accessToken) as jwt.JwtPayload;
    const secret = readFileSync(join(process.env.DESKLINE_TEST_DATA_DIR!, 'jwt-secret'), 'utf8').trim();
    const { exp: _exp, ...rest } = claims;
    const shortLived = jwt.sign({ ...rest, exp: Math.floor(Date.now() / 1000) + 2 }, secret, { algorithm: 'HS256' });
    const stream = await open({}, { Authorization: `Bearer ${shortLived}` });
    expect(stream.status).toBe(200);
    await stream.waitForEnd('the stream to end at exp', 10_000);
    expect(stream.events.at(-1)).toMatchObject({ event: 'stream.closed', data: { reason: 'credential_expired', reconnect: true } });
  });

  it('closes every stream with a reason when the server shuts down', async () => {
    const other = await startTestApp({ WEBHOOK_DISPATCHER_ENABLED: 'false', SLA_SCHEDULER_ENABLED: 'false', MAIL_WORKER_ENABLED: 'false' }, { sameDatabaseAs: t });
    const stream = await SseClient.open(`${baseUrlOf(other.app.getHttpServer())}/v1/events/stream`, { Authorization: `Bearer ${t.main.key}` });
    clients.push(stream);
    expect(stream.status).toBe(200);
    await other.app.close();
    await stream.waitForEnd();
    expect(stream.events.at(-1)).toMatchObject({ event: 'stream.closed', data: { reason: 'shutdown', reconnect: true } });
  });
});
