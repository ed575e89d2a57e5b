import { get as httpGet, IncomingMessage } from 'node:http';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as jwt from 'jsonwebtoken';
import WebSocket from 'ws';
import { eventually } from './support/eventually';
import { connectWs, Subscription, WsClient, wsUrl } from './support/graphql-ws-client';
import { newAgent, newTicket, portalToken, TestAgent } from './support/realtime-fixtures';
import { startTestApp, TestApp, TestWorkspace } from './support/test-app';

const PRESENCE = 'subscription($id: ID!) { presence(ticketId: $id) { ticketId agents { agent { id name } state } } }';

interface PresenceMessage {
  presence: { ticketId: string; agents: Array<{ agent: { id: string; name: string }; state: string }> };
}

/** A raw graphql-transport-ws socket, for what a well-behaved client never sends. */
function rawSocket(t: TestApp, protocol = 'graphql-transport-ws'): { socket: WebSocket; closed: Promise<{ code: number; reason: string }>; messages: unknown[] } {
  const socket = new WebSocket(wsUrl(t), protocol);
  const messages: unknown[] = [];
  socket.on('message', (data: Buffer) => messages.push(JSON.parse(data.toString('utf8'))));
  const closed = new Promise<{ code: number; reason: string }>((resolve) => socket.on('close', (code, reason) => resolve({ code, reason: String(reason) })));
  socket.on('error', () => undefined);
  return { socket, closed, messages };
}

/** An SSE stream read raw: everything received so far, as text. */
function openSse(t: TestApp, path: string, credential: string): Promise<{ text: () => string; close: () => void }> {
  const { port } = t.app.getHttpServer().address() as { port: number };
  return new Promise((resolve, reject) => {
    const request = httpGet({ host: '127.0.0.1', port, path, headers: { Authorization: `Bearer ${credential}`, Accept: 'text/event-stream' } }, (response: IncomingMessage) => {
      if (response.statusCode !== 200) return reject(new Error(`stream answered ${response.statusCode}`));
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (text += chunk));
      resolve({ text: () => text, close: () => request.destroy() });
    });
    request.on('error', () => undefined);
  });
}

const EVENTS = 'subscription($after: String, $types: [String!]) { events(after: $after, filter: { types: $types }) { cursor node { id type sequence } } }';

interface EventMessage {
  events: { cursor: string; node: { id: string; type: string; sequence: number | null } };
}

describe('GraphQL subscriptions over WebSocket (graphql-ws at /graphql)', () => {
  let t: TestApp;
  let ana: TestAgent;

  /** Makes changes until the subscription reports one of them (it may join the hub a moment after subscribing). */
  async function eventuallyReceives(events: Subscription<EventMessage>, change: () => Promise<string>): Promise<EventMessage['events']> {
    for (let attempt = 0; attempt < 20; attempt++) {
      await change();
      try {
        return (await events.next(1000)).events;
      } catch (error) {
        if (!/no message within/.test((error as Error).message)) throw error;
      }
    }
    throw new Error('the subscription never received an event');
  }
  const eventuallyTrue = (probe: () => boolean, what: string) => eventually(() => probe(), what, 10_000);
  let bo: TestAgent;
  let other: TestWorkspace;
  let ticket: { id: string; requesterId: string };
  const open: WsClient[] = [];
  const connect = (credential: string | null) => {
    const ws = connectWs(t, credential);
    open.push(ws);
    return ws;
  };

  beforeAll(async () => {
    t = await startTestApp({
      REALTIME_AUTH_RECHECK_SECONDS: '1',
      GRAPHQL_WS_MAX_SUBSCRIPTIONS: '3',
      GRAPHQL_WS_MAX_CONNECTIONS_PER_WORKSPACE: '6',
      GRAPHQL_MAX_COST: '500',
    });
    ana = await newAgent(t, t.main.key, t.main.slug, 'Ana');
    bo = await newAgent(t, t.main.key, t.main.slug, 'Bo');
    other = await t.newWorkspace();
    ticket = await newTicket(t, t.main.key);
  });
  afterEach(async () => {
    await Promise.all(open.splice(0).map((ws) => ws.dispose()));
  });
  afterAll(() => t.close());

  describe('connection_init', () => {
    it('closes a socket without a credential with 4401 and says how to authenticate', async () => {
      const ws = connect(null);
      const closed = await ws.closed;
      expect(closed.code).toBe(4401);
      expect(closed.reason).toMatch(/authorization/);
    });

    it('closes a socket with an unknown key, or a requester\'s portal token, with 4401', async () => {
      expect((await connect('dsk_not_a_key_at_all_000000000000').closed).code).toBe(4401);
      const token = await portalToken(t, t.main.key, ticket.requesterId);
      expect((await connect(token).closed).code).toBe(4401);
    });

    it('refuses another subprotocol and sockets that never send connection_init are not served', async () => {
      const legacy = rawSocket(t, 'graphql-ws');
      const refused = await Promise.race([legacy.closed, new Promise<{ code: number }>((resolve) => legacy.socket.on('unexpected-response', () => resolve({ code: -1 })))]);
      expect([1002, 1006, 4406, -1]).toContain(refused.code);
      legacy.socket.terminate();
      const silent = rawSocket(t);
      await new Promise((resolve) => silent.socket.on('open', resolve));
      silent.socket.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query: PRESENCE, variables: { id: ticket.id } } }));
      expect((await silent.closed).code).toBe(4401);
    });

    it('answers 404 to WebSocket upgrades on other paths', async () => {
      const { port } = t.app.getHttpServer().address() as { port: number };
      const socket = new WebSocket(`ws://127.0.0.1:${port}/v1/tickets`, 'graphql-transport-ws');
      const status = await new Promise<number>((resolve) => {
        socket.on('unexpected-response', (_request, response) => resolve(response.statusCode ?? 0));
        socket.on('error', () => resolve(0));
      });
      expect(status).toBe(404);
    });
  });

  describe('presence(ticketId)', () => {
    it('sends who is on the ticket now, then every arrival, state change and departure', async () => {
      const watcher = connect(bo.key);
      const presence = new Subscription<PresenceMessage>(watcher, PRESENCE, { id: ticket.id });
      expect((await presence.next()).presence).toEqual({ ticketId: ticket.id, agents: [] });

      await t.http.put(`/v1/tickets/${ticket.id}/presence`).set(t.auth(ana.token)).send({ state: 'viewing' }).expect(200);
      expect((await presence.next()).presence.agents).toEqual([{ agent: { id: ana.id, name: 'Ana' }, state: 'viewing' }]);

      // A refresh of the same state changes nothing anyone sees: nothing is sent for it.
      await t.http.put(`/v1/tickets/${ticket.id}/presence`).set(t.auth(ana.token)).send({ state: 'viewing' }).expect(200);
      await t.http.put(`/v1/tickets/${ticket.id}/presence`).set(t.auth(ana.token)).send({ state: 'replying' }).expect(200);
      expect((await presence.next()).presence.agents).toEqual([{ agent: { id: ana.id, name: 'Ana' }, state: 'replying' }]);

      await t.http.delete(`/v1/tickets/${ticket.id}/presence`).set(t.auth(ana.token)).expect(204);
      expect((await presence.next()).presence.agents).toEqual([]);
      expect(presence.pending()).toBe(0);
    });

    it('keeps workspaces apart: another workspace\'s ticket is not found, and its presence never arrives here', async () => {
      const stranger = connect(other.key);
      const refused = new Subscription(stranger, PRESENCE, { id: ticket.id });
      const errors = await refused.failure();
      expect(errors[0].extensions?.code).toBe('NOT_FOUND');

      const theirs = await newTicket(t, other.key);
      const strangerAgent = await newAgent(t, other.key, other.slug, 'Stranger');
      const mine = new Subscription<PresenceMessage>(connect(bo.key), PRESENCE, { id: ticket.id });
      expect((await mine.next()).presence.agents).toEqual([]);
      await t.http.put(`/v1/tickets/${theirs.id}/presence`).set(t.auth(strangerAgent.token)).send({ state: 'viewing' }).expect(200);
      await t.http.put(`/v1/tickets/${ticket.id}/presence`).set(t.auth(ana.key)).send({ state: 'viewing' }).expect(200);
      // The next message is about our ticket; nothing about theirs came before it.
      expect((await mine.next()).presence).toEqual({ ticketId: ticket.id, agents: [{ agent: { id: ana.id, name: 'Ana' }, state: 'viewing' }] });
      await t.http.delete(`/v1/tickets/${ticket.id}/presence`).set(t.auth(ana.key)).expect(204);
    });
  });

  describe('events(filter, after) and ticket(id)', () => {
    it('sends the workspace\'s events as they commit, each with its cursor, in feed order', async () => {
      const events = new Subscription<EventMessage>(connect(bo.key), EVENTS, { types: ['ticket.*'] });
      // The subscription is live once the hub has joined it; a ticket created after a first event proves it.
      await eventuallyReceives(events, async () => (await newTicket(t, t.main.key)).id);
      const own = await newTicket(t, t.main.key);
      const received: EventMessage['events'][] = [];
      await t.http.patch(`/v1/tickets/${own.id}`).set(t.auth(t.main.key)).send({ priority: 'urgent' }).expect(200);
      while (!received.some((event) => event.node.type === 'ticket.updated')) received.push((await events.next()).events);
      const ofOwn = (await t.http.get('/v1/events').query({ ticketId: own.id }).set(t.auth(t.main.key)).expect(200)).body.data as Array<{ cursor: string; id: string }>;
      const seen = received.filter((event) => ofOwn.some((expected) => expected.id === event.node.id));
      expect(seen.map((event) => event.node.id)).toEqual(ofOwn.map((event) => event.id));
      expect(seen.map((event) => event.cursor)).toEqual(ofOwn.map((event) => event.cursor));
      const cursors = received.map((event) => BigInt(event.cursor));
      expect([...cursors].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))).toEqual(cursors);
    });

    it('resumes after a disconnect from the last cursor received: nothing skipped, nothing twice', async () => {
      const first = connect(bo.key);
      const events = new Subscription<EventMessage>(first, EVENTS, { types: ['ticket.*'] });
      const lastSeen = (await eventuallyReceives(events, async () => (await newTicket(t, t.main.key)).id)).cursor;
      await first.dispose();
      // Changes made while the client is away.
      const missed = await newTicket(t, t.main.key);
      await t.http.patch(`/v1/tickets/${missed.id}`).set(t.auth(t.main.key)).send({ priority: 'low' }).expect(200);
      const expected = (await t.http.get('/v1/events').query({ after: lastSeen, types: 'ticket.*' }).set(t.auth(t.main.key)).expect(200)).body.data as Array<{ cursor: string }>;
      expect(expected.length).toBeGreaterThanOrEqual(3);
      const resumed = new Subscription<EventMessage>(connect(bo.key), EVENTS, { after: lastSeen, types: ['ticket.*'] });
      const got: string[] = [];
      for (let index = 0; index < expected.length; index++) got.push((await resumed.next()).events.cursor);
      expect(got).toEqual(expected.map((event) => event.cursor));
      // And live after the backlog, without repeating it.
      const later = await newTicket(t, t.main.key);
      const next = (await resumed.next()).events;
      expect(BigInt(next.cursor) > BigInt(got[got.length - 1])).toBe(true);
      expect(next.node.type).toBe('ticket.created');
      expect((await t.http.get(`/v1/events`).query({ ticketId: later.id }).set(t.auth(t.main.key))).body.data[0].id).toBe(next.node.id);
    });

    it('refuses a cursor this feed did not issue before subscribing', async () => {
      const ws = connect(bo.key);
      const past = new Subscription(ws, EVENTS, { after: '999999999' });
      expect((await past.failure())[0].extensions?.code).toBe('INVALID_CURSOR');
      const garbage = new Subscription(ws, EVENTS, { after: 'abc' });
      expect((await garbage.failure())[0].extensions?.code).toBe('INVALID_CURSOR');
    });

    it('ticket(id) sends the ticket now, then its new state after each change', async () => {
      const own = await newTicket(t, t.main.key);
      const watch = new Subscription<{ ticket: { id: string; priority: string; version: number; requester: { id: string } } }>(
        connect(bo.token), 'subscription($id: ID!) { ticket(id: $id) { id priority version requester { id } } }', { id: own.id });
      const now = (await watch.next()).ticket;
      expect(now).toEqual(expect.objectContaining({ id: own.id, requester: { id: own.requesterId } }));
      await t.http.patch(`/v1/tickets/${own.id}`).set(t.auth(t.main.key)).send({ priority: 'urgent' }).expect(200);
      let changed = (await watch.next()).ticket;
      while (changed.priority !== 'urgent') changed = (await watch.next()).ticket;
      expect(changed.version).toBeGreaterThan(now.version);
      const stranger = new Subscription(connect(other.key), 'subscription($id: ID!) { ticket(id: $id) { id } }', { id: own.id });
      expect((await stranger.failure())[0].extensions?.code).toBe('NOT_FOUND');
    });

    it('sends presence.changed to agents\' SSE streams too, and never to a requester\'s', async () => {
      const own = await newTicket(t, t.main.key);
      const agentStream = await openSse(t, '/v1/events/stream', bo.key);
      const token = await portalToken(t, t.main.key, own.requesterId);
      const portalStream = await openSse(t, '/v1/portal/events/stream', token);
      try {
        // Once both streams are live, a public reply reaches the portal stream; presence must not, before or after it.
        await t.http.put(`/v1/tickets/${own.id}/presence`).set(t.auth(ana.token)).send({ state: 'replying' }).expect(200);
        await eventuallyTrue(() => agentStream.text().includes('event: presence.changed'), 'presence.changed on the agent stream');
        const line = agentStream.text().split('\n').find((candidate) => candidate.startsWith('data: ') && candidate.includes('presence.changed'))!;
        const message = JSON.parse(line.slice('data: '.length));
        expect(message).toEqual(expect.objectContaining({ type: 'presence.changed', ticketId: own.id }));
        expect(message.data.agents).toEqual([expect.objectContaining({ agent: { id: ana.id, name: 'Ana' }, state: 'replying' })]);
        await t.http.post(`/v1/tickets/${own.id}/messages`).set(t.auth(ana.key)).send({ body: 'On it', visibility: 'public' }).expect(201);
        await eventuallyTrue(() => portalStream.text().includes('ticket.message_created'), 'the public reply on the portal stream');
        await t.http.delete(`/v1/tickets/${own.id}/presence`).set(t.auth(ana.token)).expect(204);
        await eventuallyTrue(() => agentStream.text().split('event: presence.changed').length === 3, 'the departure on the agent stream');
        expect(portalStream.text()).not.toMatch(/presence/);
      } finally {
        agentStream.close();
        portalStream.close();
      }
    });
  });

  describe('limits', () => {
    it('applies the GraphQL limits to subscription documents', async () => {
      const ws = connect(bo.key);
      // Each agents list counts as 100 entries: twice over is over the cost limit of 500 this app runs with.
      const costly = new Subscription(ws, 'subscription($id: ID!) { presence(ticketId: $id) { a: agents { agent { id name } state } b: agents { agent { id name } state } } }', { id: ticket.id });
      expect((await costly.failure())[0].extensions?.code).toBe('QUERY_TOO_COSTLY');
      const aliased = new Subscription(ws, `subscription($id: ID!) { presence(ticketId: $id) { ${Array.from({ length: 25 }, (_, i) => `a${i}: ticketId`).join(' ')} } }`, { id: ticket.id });
      expect((await aliased.failure())[0].extensions?.code).toBe('TOO_MANY_ALIASES');
      const invalid = new Subscription(ws, 'subscription { nothingHere }');
      expect((await invalid.failure())[0].message).toMatch(/nothingHere/);
    });

    it('runs only subscriptions: queries and mutations belong on HTTP', async () => {
      const ws = connect(bo.key);
      const query = new Subscription(ws, '{ __typename }');
      expect((await query.failure())[0].message).toMatch(/POST \/graphql/);
    });

    it('caps the subscriptions of one socket; the others keep running', async () => {
      const ws = connect(bo.key);
      const running = [0, 1, 2].map(() => new Subscription<PresenceMessage>(ws, PRESENCE, { id: ticket.id }));
      for (const subscription of running) await subscription.next();
      const fourth = new Subscription(ws, PRESENCE, { id: ticket.id });
      const errors = await fourth.failure();
      expect(errors[0].extensions).toEqual(expect.objectContaining({ code: 'TOO_MANY_SUBSCRIPTIONS', limit: 3 }));
      await t.http.put(`/v1/tickets/${ticket.id}/presence`).set(t.auth(ana.token)).send({ state: 'viewing' }).expect(200);
      for (const subscription of running) expect((await subscription.next()).presence.agents).toHaveLength(1);
      await t.http.delete(`/v1/tickets/${ticket.id}/presence`).set(t.auth(ana.token)).expect(204);
    });

    it('caps the sockets of one workspace on an instance', async () => {
      const sockets = Array.from({ length: 6 }, () => connect(t.main.key));
      await Promise.all(sockets.map((ws) => ws.connected));
      const extra = connect(t.main.key);
      const closed = await extra.closed;
      expect(closed.code).toBe(1013);
      expect(closed.reason).toMatch(/GRAPHQL_WS_MAX_CONNECTIONS_PER_WORKSPACE/);
      // Another workspace is not affected.
      await connect(other.key).connected;
    });
  });

  describe('authorization is kept while the socket is open', () => {
    it('closes the socket of a revoked API key with the reason', async () => {
      const created = await t.http.post('/v1/api-keys').set(t.auth(t.main.key)).send({ name: 'Doomed', role: 'agent', agentId: bo.id }).expect(201);
      const ws = connect(created.body.key);
      await ws.connected;
      await t.http.delete(`/v1/api-keys/${created.body.id}`).set(t.auth(t.main.key)).expect(204);
      const closed = await ws.closed;
      expect(closed.code).toBe(4403);
      expect(closed.reason).toMatch(/revoked/);
    });

    it('closes the socket of a deactivated agent\'s access token', async () => {
      const doomed = await newAgent(t, t.main.key, t.main.slug, 'Doomed');
      const ws = connect(doomed.token);
      const presence = new Subscription(ws, PRESENCE, { id: ticket.id });
      await presence.next();
      await t.http.patch(`/v1/agents/${doomed.id}`).set(t.auth(t.main.key)).send({ active: false }).expect(200);
      expect((await ws.closed).code).toBe(4403);
    });

    it('closes the socket of an access token when it expires', async () => {
      const secret = readFileSync(join(process.env.DESKLINE_TEST_DATA_DIR!, 'jwt-secret'), 'utf8').trim();
      const claims = jwt.decode(ana.token) as Record<string, unknown>;
      const { exp: _exp, iat: _iat, jti: _jti, ...rest } = claims;
      const shortLived = jwt.sign({ ...rest }, secret, { algorithm: 'HS256', expiresIn: 2 });
      const ws = connect(shortLived);
      await ws.connected;
      const opened = Date.now();
      const closed = await ws.closed;
      expect(closed.code).toBe(4401);
      expect(closed.reason).toMatch(/expired/);
      expect(Date.now() - opened).toBeLessThan(4000);
    });
  });

  // Last: passport keeps one 'jwt' strategy per process, the last app's, so after another app in this process closes,
  // access tokens no longer validate on the first (API keys, used here, are unaffected).
  describe('across instances', () => {
    it('announces an agent who stops refreshing once the entry expires', async () => {
      const fast = await startTestApp({ PRESENCE_TTL_SECONDS: '2' }, { sameDatabaseAs: t });
      try {
        const own = await newTicket(t, t.main.key);
        const ws = connectWs(fast, bo.key);
        open.push(ws);
        const presence = new Subscription<PresenceMessage>(ws, PRESENCE, { id: own.id });
        expect((await presence.next()).presence.agents).toEqual([]);
        await fast.http.put(`/v1/tickets/${own.id}/presence`).set(fast.auth(ana.key)).send({ state: 'viewing' }).expect(200);
        expect((await presence.next()).presence.agents).toHaveLength(1);
        const departed = Date.now();
        expect((await presence.next(10_000)).presence.agents).toEqual([]);
        expect(Date.now() - departed).toBeLessThan(5000);
      } finally {
        await Promise.all(open.splice(0).map((ws) => ws.dispose()));
        await fast.app.close();
      }
    });

    it('reaches a subscriber on another instance of the same database', async () => {
      const second = await startTestApp({}, { sameDatabaseAs: t });
      try {
        const own = await newTicket(t, t.main.key);
        const ws = connectWs(second, bo.key);
        open.push(ws);
        const presence = new Subscription<PresenceMessage>(ws, PRESENCE, { id: own.id });
        expect((await presence.next()).presence.agents).toEqual([]);
        await t.http.put(`/v1/tickets/${own.id}/presence`).set(t.auth(ana.key)).send({ state: 'replying' }).expect(200);
        expect((await presence.next()).presence.agents).toEqual([{ agent: { id: ana.id, name: 'Ana' }, state: 'replying' }]);
      } finally {
        await Promise.all(open.splice(0).map((ws) => ws.dispose()));
        await second.app.close();
      }
    });
  });
});
