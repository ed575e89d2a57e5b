import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createServer, IncomingHttpHeaders, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { Webhook, WebhookVerificationError } from 'standardwebhooks';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { loadConfig } from '../src/config/app-config';
import { freePort } from '../src/database/embedded-postgres';
import { eventually } from './support/eventually';
import { createTestDatabase, startTestApp, TestApp, TestDatabase, testInstanceKeys } from './support/test-app';

/** One HTTP request as the receiver saw it: the raw body is what a consumer verifies. */
interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  json: { id: string; type: string; version: number; createdAt: string; workspaceId: string; data: Record<string, any> };
}

/** A webhook consumer on 127.0.0.1: records every request and answers what `answer` says for its path. */
class Receiver {
  readonly requests: Received[] = [];
  /** The status to answer with for a path and the request's rank on it; -1 never answers. */
  answer: (path: string, index: number) => { status: number; body?: string } = () => ({ status: 204 });
  private constructor(private readonly server: Server, readonly base: string) {}

  static async start(): Promise<Receiver> {
    let receiver!: Receiver;
    const server = createServer((incoming, response) => {
      const chunks: Buffer[] = [];
      incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
      incoming.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const path = incoming.url ?? '/';
        receiver.requests.push({ path, headers: incoming.headers, body, json: JSON.parse(body) });
        const { status, body: answer } = receiver.answer(path, receiver.requests.filter((r) => r.path === path).length);
        // -1: never answer, like an endpoint that hangs.
        if (status !== -1) response.writeHead(status, { 'content-type': 'text/plain' }).end(answer ?? '');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    receiver = new Receiver(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    return receiver;
  }

  url(path: string): string {
    return `${this.base}${path}`;
  }

  at(path: string): Received[] {
    return this.requests.filter((entry) => entry.path === path);
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }
}

/** Polls until `probe` returns a value other than undefined/false, failing with the last value after a bounded wait. */
const auth = (key: string) => ({ Authorization: `Bearer ${key}` });
let emailCounter = 0;
const newAgent = () => ({ name: 'Webhook Agent', email: `agent${++emailCounter}-${randomBytes(3).toString('hex')}@example.com`, role: 'agent' });

describe('webhooks', () => {
  let t: TestApp;
  let receiver: Receiver;
  let db: DataSource;

  beforeAll(async () => {
    [t, receiver] = await Promise.all([startTestApp(), Receiver.start()]);
    db = t.app.get(DataSource);
  });
  afterAll(async () => {
    await t.close();
    await receiver.close();
  });

  const subscribe = async (path: string, events: string[] = ['*'], key = t.main.key) => {
    const response = await t.http.post('/v1/webhooks').set(t.auth(key)).send({ url: receiver.url(path), events, description: `test ${path}` });
    expect(response.status).toBe(201);
    return response.body as { id: string; secret: string; url: string };
  };
  const createAgent = async (key = t.main.key) => {
    const response = await t.http.post('/v1/agents').set(t.auth(key)).send(newAgent());
    expect(response.status).toBe(201);
    return response.body as { id: string; email: string };
  };
  const deliveryRows = (webhookId: string) =>
    db.query(`SELECT id, event_id, event_type, status, attempt_count FROM webhook_deliveries WHERE subscription_id = $1 ORDER BY created_at`, [webhookId]);
  const delivery = async (webhookId: string, eventType: string, where: (row: any) => boolean = () => true) =>
    (await deliveryRows(webhookId)).find((row: any) => row.event_type === eventType && where(row));
  const waitForStatus = (webhookId: string, deliveryId: string, status: string) =>
    eventually(async () => {
      const [row] = await db.query(`SELECT status FROM webhook_deliveries WHERE subscription_id = $1 AND id = $2`, [webhookId, deliveryId]);
      return row?.status === status ? row : undefined;
    }, `delivery ${deliveryId} to be ${status}`);

  describe('subscriptions', () => {
    it('creates a subscription and returns its secret once, never again, and stores it encrypted', async () => {
      const created = await t.http.post('/v1/webhooks').set(t.auth(t.main.key)).send({ url: receiver.url('/crud'), events: ['agent.created', 'ticket.created'], description: 'CRM sync' });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({
        id: expect.any(String), url: receiver.url('/crud'), events: ['agent.created', 'ticket.created'], description: 'CRM sync', enabled: true,
        disabledReason: null, failingSince: null, previousSecretExpiresAt: null, secret: expect.stringMatching(/^whsec_[A-Za-z0-9+/]{43}=$/),
      });
      const secret: string = created.body.secret;
      const fetched = await t.http.get(`/v1/webhooks/${created.body.id}`).set(t.auth(t.main.key));
      expect(fetched.status).toBe(200);
      expect(fetched.body).not.toHaveProperty('secret');
      const listed = await t.http.get('/v1/webhooks').set(t.auth(t.main.key));
      expect(listed.body.data.map((webhook: { id: string }) => webhook.id)).toContain(created.body.id);
      expect(listed.body).toHaveProperty('nextCursor');
      expect(JSON.stringify([fetched.body, listed.body])).not.toContain(secret.slice(6));
      const [row] = await db.query('SELECT secret_ciphertext FROM webhook_subscriptions WHERE id = $1', [created.body.id]);
      expect(row.secret_ciphertext).toMatch(/^v1\./);
      expect(row.secret_ciphertext).not.toContain(secret.slice(6));
    });

    it('answers 422 naming the field for unknown event types, bad URLs and unknown fields', async () => {
      const unknown = await t.http.post('/v1/webhooks').set(t.auth(t.main.key)).send({ url: receiver.url('/x'), events: ['agent.created', 'ticket.exploded'] });
      expect(unknown.status).toBe(422);
      expect(unknown.headers['content-type']).toMatch(/problem\+json/);
      expect(unknown.body.errors).toEqual([{ field: 'events[1]', message: expect.stringContaining('ticket.exploded') }]);
      const mixed = await t.http.post('/v1/webhooks').set(t.auth(t.main.key)).send({ url: receiver.url('/x'), events: ['*', 'agent.created'] });
      expect(mixed.body.errors).toEqual([{ field: 'events[0]', message: expect.any(String) }]);
      const empty = await t.http.post('/v1/webhooks').set(t.auth(t.main.key)).send({ url: receiver.url('/x'), events: [] });
      expect(empty.status).toBe(422);
      expect(empty.body.errors[0].field).toBe('events');
      const ftp = await t.http.post('/v1/webhooks').set(t.auth(t.main.key)).send({ url: 'ftp://example.com/hook', events: ['*'] });
      expect(ftp.status).toBe(422);
      expect(ftp.body.errors).toEqual([{ field: 'url', message: expect.stringContaining('https') }]);
      const credentials = await t.http.post('/v1/webhooks').set(t.auth(t.main.key)).send({ url: 'https://user:pw@example.com/hook', events: ['*'] });
      expect(credentials.body.errors).toEqual([{ field: 'url', message: expect.stringContaining('credentials') }]);
      const extra = await t.http.post('/v1/webhooks').set(t.auth(t.main.key)).send({ url: receiver.url('/x'), events: ['*'], secret: 'whsec_mine' });
      expect(extra.status).toBe(422);
      expect(extra.body.errors).toEqual([{ field: 'secret', message: 'secret is not a known field' }]);
      const tooMany = await t.http.post('/v1/webhooks').set(t.auth(t.main.key)).send({ url: receiver.url('/x'), events: Array(51).fill('agent.created') });
      expect(tooMany.status).toBe(422);
    });

    it('updates, disables, re-enables and deletes a subscription', async () => {
      const { id } = await subscribe('/lifecycle', ['agent.created']);
      const patched = await t.http.patch(`/v1/webhooks/${id}`).set(t.auth(t.main.key)).send({ events: ['agent.updated'], description: null, enabled: false });
      expect(patched.status).toBe(200);
      expect(patched.body).toMatchObject({ events: ['agent.updated'], description: null, enabled: false, disabledReason: 'manual', disabledAt: expect.any(String) });
      const unknown = await t.http.patch(`/v1/webhooks/${id}`).set(t.auth(t.main.key)).send({ events: ['nope'] });
      expect(unknown.status).toBe(422);
      expect(unknown.body.errors[0].field).toBe('events[0]');
      const nullUrl = await t.http.patch(`/v1/webhooks/${id}`).set(t.auth(t.main.key)).send({ url: null });
      expect(nullUrl.status).toBe(422);
      const enabled = await t.http.patch(`/v1/webhooks/${id}`).set(t.auth(t.main.key)).send({ enabled: true });
      expect(enabled.body).toMatchObject({ enabled: true, disabledReason: null, disabledAt: null });
      expect((await t.http.delete(`/v1/webhooks/${id}`).set(t.auth(t.main.key))).status).toBe(204);
      expect((await t.http.get(`/v1/webhooks/${id}`).set(t.auth(t.main.key))).status).toBe(404);
      expect((await t.http.delete(`/v1/webhooks/${id}`).set(t.auth(t.main.key))).status).toBe(404);
    });

    it('is for admins only', async () => {
      const agentKey = (await t.http.post('/v1/api-keys').set(t.auth(t.main.key)).send({ name: 'agent', role: 'agent' })).body.key;
      const { id } = await subscribe('/admin-only');
      expect((await t.http.get('/v1/webhooks').set(t.auth(agentKey))).status).toBe(403);
      expect((await t.http.post('/v1/webhooks').set(t.auth(agentKey)).send({ url: receiver.url('/x'), events: ['*'] })).status).toBe(403);
      expect((await t.http.get(`/v1/webhooks/${id}/deliveries`).set(t.auth(agentKey))).status).toBe(403);
      expect((await t.http.post(`/v1/webhooks/${id}/rotate-secret`).set(t.auth(agentKey))).status).toBe(403);
      const graphql = await t.http.post('/graphql').set(t.auth(agentKey)).send({ query: '{ webhooks { edges { node { id } } } }' });
      expect(graphql.body.errors[0].extensions.code).toBe('FORBIDDEN');
    });

    it("hides other workspaces' webhooks: their ids answer 404 and lists leave them out", async () => {
      const other = await t.newWorkspace();
      const mine = await subscribe('/isolation');
      const theirs = await subscribe('/isolation-other', ['*'], other.key);
      for (const [method, path] of [
        ['get', `/v1/webhooks/${mine.id}`], ['patch', `/v1/webhooks/${mine.id}`], ['delete', `/v1/webhooks/${mine.id}`],
        ['post', `/v1/webhooks/${mine.id}/rotate-secret`], ['post', `/v1/webhooks/${mine.id}/test`], ['get', `/v1/webhooks/${mine.id}/deliveries`],
      ] as const) {
        const response = await (t.http[method](path)).set(t.auth(other.key)).send(method === 'patch' ? { enabled: false } : undefined);
        expect({ method, path, status: response.status }).toEqual({ method, path, status: 404 });
      }
      const theirList = await t.http.get('/v1/webhooks').set(t.auth(other.key));
      expect(theirList.body.data.map((webhook: { id: string }) => webhook.id)).toEqual([theirs.id]);
      const myList = await t.http.get('/v1/webhooks?limit=100').set(t.auth(t.main.key));
      expect(myList.body.data.map((webhook: { id: string }) => webhook.id)).not.toContain(theirs.id);
      // The other workspace's agent.created reaches only its own subscription.
      const agent = await createAgent(other.key);
      const theirDelivery = await eventually(() => delivery(theirs.id, 'agent.created'), 'the other workspace delivery');
      await waitForStatus(theirs.id, theirDelivery.id, 'succeeded');
      expect((await deliveryRows(mine.id)).length).toBe(0);
      expect(receiver.at('/isolation-other').map((entry) => entry.json.data.agent.id)).toContain(agent.id);
      const redeliver = await t.http.post(`/v1/webhooks/${theirs.id}/deliveries/${theirDelivery.id}/redeliver`).set(t.auth(t.main.key));
      expect(redeliver.status).toBe(404);
      await t.http.patch(`/v1/webhooks/${mine.id}`).set(t.auth(t.main.key)).send({ enabled: false }).expect(200);
    });

    it('manages webhooks over GraphQL with the same rules', async () => {
      const create = await t.http.post('/graphql').set(t.auth(t.main.key)).send({
        query: `mutation($input: CreateWebhookInput!) { createWebhook(input: $input) { id url events enabled secret } }`,
        variables: { input: { url: receiver.url('/graphql'), events: ['agent.updated'] } },
      });
      expect(create.body.errors).toBeUndefined();
      const created = create.body.data.createWebhook;
      expect(created.secret).toMatch(/^whsec_/);
      const list = await t.http.post('/graphql').set(t.auth(t.main.key)).send({ query: '{ webhooks(first: 100) { edges { node { id events disabledReason } } pageInfo { hasNextPage } } }' });
      expect(list.body.data.webhooks.edges.map((edge: { node: { id: string } }) => edge.node.id)).toContain(created.id);
      const secretField = await t.http.post('/graphql').set(t.auth(t.main.key)).send({ query: `{ webhook(id: "${created.id}") { id secret } }` });
      // The Webhook type has no secret field at all, so the query is refused outright.
      expect(secretField.body.data).toBeUndefined();
      expect(secretField.body.errors).toHaveLength(1);
      const invalid = await t.http.post('/graphql').set(t.auth(t.main.key)).send({
        query: `mutation($id: ID!) { updateWebhook(id: $id, input: { events: ["agent.updated", "bogus"] }) { id } }`,
        variables: { id: created.id },
      });
      expect(invalid.body.errors[0].extensions).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ field: 'events[1]', message: expect.any(String) }] });
      const rotated = await t.http.post('/graphql').set(t.auth(t.main.key)).send({ query: `mutation { rotateWebhookSecret(id: "${created.id}") { secret previousSecretExpiresAt } }` });
      expect(rotated.body.data.rotateWebhookSecret.secret).not.toBe(created.secret);
      const deleted = await t.http.post('/graphql').set(t.auth(t.main.key)).send({ query: `mutation { deleteWebhook(id: "${created.id}") }` });
      expect(deleted.body.data.deleteWebhook).toBe(created.id);
    });
    it('documents every event type in the OpenAPI webhooks section, with resolvable payload schemas', async () => {
      const document = (await t.http.get('/openapi.json')).body;
      const { EVENT_TYPES } = await import('../src/events/event-catalogue');
      expect(Object.keys(document.webhooks).sort()).toEqual([...EVENT_TYPES].sort());
      const refs = new Set<string>();
      const collect = (node: unknown): void => {
        if (Array.isArray(node)) node.forEach(collect);
        else if (node && typeof node === 'object') {
          for (const [key, value] of Object.entries(node)) {
            if (key === '$ref') refs.add(value as string);
            else collect(value);
          }
        }
      };
      collect(document.webhooks);
      expect(refs.size).toBeGreaterThan(3);
      for (const target of refs) expect({ target, found: Boolean(document.components.schemas[target.split('/').pop()!]) }).toEqual({ target, found: true });
      const ticketUpdated = document.webhooks['ticket.updated'].post;
      expect(ticketUpdated.parameters.map((header: { name: string }) => header.name)).toEqual(['webhook-id', 'webhook-timestamp', 'webhook-signature']);
      expect(ticketUpdated.requestBody.content['application/json'].schema.properties.data.required).toEqual(['ticket', 'sequence', 'changes', 'actor']);
    });
  });

  describe('delivery', () => {
    it('delivers committed events signed per Standard Webhooks, verifiable with the standardwebhooks package', async () => {
      const { id, secret } = await subscribe('/signed', ['agent.created']);
      const agent = await createAgent();
      const received = await eventually(() => receiver.at('/signed').find((entry) => entry.json.data.agent?.id === agent.id), 'the agent.created delivery');
      expect(received.headers['content-type']).toBe('application/json');
      expect(received.headers['webhook-id']).toBe(received.json.id);
      expect(received.headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
      const headers = { 'webhook-id': received.headers['webhook-id'] as string, 'webhook-timestamp': received.headers['webhook-timestamp'] as string, 'webhook-signature': received.headers['webhook-signature'] as string };
      const verified = new Webhook(secret).verify(received.body, headers) as Received['json'];
      expect(verified).toMatchObject({ type: 'agent.created', version: 1, workspaceId: t.main.id, createdAt: expect.any(String), data: { agent: { id: agent.id, email: agent.email } } });
      const [outboxRow] = await db.query(`SELECT id FROM outbox_events WHERE type = 'agent.created' AND subject_id = $1`, [agent.id]);
      expect(verified.id).toBe(outboxRow.id);

      expect(() => new Webhook(secret).verify(received.body.replace(agent.email, 'mallory@example.com'), headers)).toThrow(WebhookVerificationError);
      expect(() => new Webhook(`whsec_${randomBytes(32).toString('base64')}`).verify(received.body, headers)).toThrow(WebhookVerificationError);
      // The same genuine request, replayed to a consumer six minutes later, is refused.
      const now = Date.now;
      Date.now = () => now() + 6 * 60_000;
      try {
        expect(() => new Webhook(secret).verify(received.body, headers)).toThrow('Message timestamp too old');
      } finally {
        Date.now = now;
      }
      const row = await eventually(() => delivery(id, 'agent.created', (r) => r.event_id === verified.id && r.status === 'succeeded'), 'the delivery to be recorded as succeeded');
      expect(row.attempt_count).toBe(1);
    });

    it('sends only the events a subscription asked for', async () => {
      const updatesOnly = await subscribe('/filter-updated', ['agent.updated']);
      const everything = await subscribe('/filter-all', ['*']);
      const agent = await createAgent();
      const [event] = await db.query(`SELECT id FROM outbox_events WHERE type = 'agent.created' AND subject_id = $1`, [agent.id]);
      await eventually(() => delivery(everything.id, 'agent.created', (row) => row.event_id === event.id), 'the wildcard delivery');
      // Fan-out writes every subscription's delivery for an event in one statement, so none for the filter now means none at all.
      expect((await deliveryRows(updatesOnly.id)).some((row: any) => row.event_id === event.id)).toBe(false);
      await t.http.patch(`/v1/agents/${agent.id}`).set(t.auth(t.main.key)).send({ name: 'Renamed' }).expect(200);
      await eventually(() => receiver.at('/filter-updated').find((entry) => entry.json.data.agent?.id === agent.id), 'the agent.updated delivery');
      expect(receiver.at('/filter-updated').map((entry) => entry.json.type)).toEqual(['agent.updated']);
      const forAgent = () => receiver.at('/filter-all').filter((entry) => entry.json.data.agent?.id === agent.id);
      await eventually(() => forAgent().length === 2, 'both events at the wildcard subscription');
      expect(forAgent().map((entry) => entry.json.type).sort()).toEqual(['agent.created', 'agent.updated']);
    });

    it('emits nothing for a change that was rolled back', async () => {
      const { id } = await subscribe('/rollback', ['agent.created']);
      const first = await createAgent();
      const duplicate = await t.http.post('/v1/agents').set(t.auth(t.main.key)).send({ ...newAgent(), email: first.email.toUpperCase() });
      expect(duplicate.status).toBe(409);
      // A later committed event is delivered, so the fan-out has passed the point where the failed one would be.
      const marker = await createAgent();
      await eventually(() => receiver.at('/rollback').find((entry) => entry.json.data.agent?.id === marker.id), 'the marker delivery');
      const emails = receiver.at('/rollback').map((entry) => entry.json.data.agent.email);
      expect(emails.filter((email) => email.toLowerCase() === first.email.toLowerCase())).toHaveLength(1);
      expect((await deliveryRows(id)).length).toBe(2);
      const [{ count }] = await db.query(`SELECT count(*)::int AS count FROM outbox_events WHERE payload->'data'->'agent'->>'email' ILIKE $1`, [first.email]);
      expect(count).toBe(1);
    });

    it('retries after a failure on the backoff schedule with the same webhook-id, then succeeds', async () => {
      receiver.answer = (path, index) => (path === '/flaky' && index === 1 ? { status: 500, body: 'x'.repeat(5000) } : { status: 204 });
      try {
        const { id, secret } = await subscribe('/flaky', ['agent.created']);
        await createAgent();
        const pending = await eventually(async () => {
          const [row] = await db.query(
            `SELECT d.id, d.status, d.attempt_count, d.next_attempt_at, a.attempted_at, a.status_code, a.response_excerpt
               FROM webhook_deliveries d JOIN webhook_delivery_attempts a ON a.delivery_id = d.id WHERE d.subscription_id = $1`, [id]);
          return row;
        }, 'the first failed attempt');
        expect(pending).toMatchObject({ status: 'pending', attempt_count: 1, status_code: 500 });
        expect(pending.response_excerpt).toHaveLength(1024);
        // The first retry is scheduled 5 s (±10 % jitter) after the failure. Rather than wait, bring it forward.
        const delay = pending.next_attempt_at.getTime() - pending.attempted_at.getTime();
        expect(delay).toBeGreaterThanOrEqual(4_400);
        expect(delay).toBeLessThanOrEqual(5_600);
        await db.query('UPDATE webhook_deliveries SET next_attempt_at = now() WHERE id = $1', [pending.id]);
        await waitForStatus(id, pending.id, 'succeeded');
        const attempts = receiver.at('/flaky');
        expect(attempts).toHaveLength(2);
        expect(attempts[1].headers['webhook-id']).toBe(attempts[0].headers['webhook-id']);
        expect(attempts[1].body).toBe(attempts[0].body);
        expect(() => new Webhook(secret).verify(attempts[1].body, attempts[1].headers as Record<string, string>)).not.toThrow();

        const log = await t.http.get(`/v1/webhooks/${id}/deliveries`).set(t.auth(t.main.key));
        expect(log.status).toBe(200);
        expect(log.body.data).toHaveLength(1);
        expect(log.body.data[0]).toMatchObject({ id: pending.id, status: 'succeeded', eventType: 'agent.created', nextAttemptAt: null, completedAt: expect.any(String) });
        expect(log.body.data[0].attempts.map((attempt: { statusCode: number }) => attempt.statusCode)).toEqual([500, 204]);
        expect(log.body.data[0].attempts[0]).toMatchObject({ durationMs: expect.any(Number), error: null, attemptedAt: expect.any(String) });
        expect(log.body.data[0].attempts[0].responseExcerpt).toHaveLength(1024);
        const [{ failing_since }] = await db.query('SELECT failing_since FROM webhook_subscriptions WHERE id = $1', [id]);
        expect(failing_since).toBeNull();
      } finally {
        receiver.answer = () => ({ status: 204 });
      }
    });

    it('disables a subscription at once on 410 Gone and says so with a webhook.disabled event', async () => {
      receiver.answer = (path) => (path === '/gone' ? { status: 410 } : { status: 204 });
      try {
        const watcher = await subscribe('/watcher', ['webhook.disabled']);
        const { id } = await subscribe('/gone', ['agent.created']);
        await createAgent();
        const notice = await eventually(() => receiver.at('/watcher').find((entry) => entry.json.data.webhook?.id === id), 'the webhook.disabled event');
        expect(notice.json).toMatchObject({ type: 'webhook.disabled', data: { reason: 'gone', webhook: { id, enabled: false, disabledReason: 'gone' }, lastAttempt: { statusCode: 410 } } });
        expect(notice.body).not.toMatch(/whsec_|secret/);
        const webhook = await t.http.get(`/v1/webhooks/${id}`).set(t.auth(t.main.key));
        expect(webhook.body).toMatchObject({ enabled: false, disabledReason: 'gone' });
        expect(receiver.at('/gone')).toHaveLength(1);
        const failed = await t.http.get(`/v1/webhooks/${id}/deliveries?status=failed`).set(t.auth(t.main.key));
        expect(failed.body.data).toHaveLength(1);
        expect((await t.http.get(`/v1/webhooks/${id}/deliveries?status=pending`).set(t.auth(t.main.key))).body.data).toHaveLength(0);
        // Disabled: new events no longer fan out to it.
        const later = await createAgent();
        await eventually(() => db.query(`SELECT 1 FROM webhook_fanout_cursors c JOIN outbox_events e ON e.workspace_id = c.workspace_id
          WHERE e.subject_id = $1 AND e.feed_position <= c.feed_position`, [later.id]).then((rows) => rows.length > 0), 'the fan-out to pass the later event');
        expect((await deliveryRows(id)).length).toBe(1);
        expect(watcher.id).toBeDefined();
      } finally {
        receiver.answer = () => ({ status: 204 });
      }
    });

    it('disables an endpoint that has failed for the configured span', async () => {
      receiver.answer = (path) => (path === '/dead' ? { status: 503 } : { status: 204 });
      try {
        const { id } = await subscribe('/dead', ['agent.created']);
        await createAgent();
        const first = await eventually(async () => (await delivery(id, 'agent.created', (row) => row.attempt_count === 1)), 'a first failure');
        const [{ failing_since: since }] = await db.query('SELECT failing_since FROM webhook_subscriptions WHERE id = $1', [id]);
        expect(since).toBeInstanceOf(Date);
        // Five days of failures, without waiting five days: the failure record is moved back, the retry made due.
        await db.query(`UPDATE webhook_subscriptions SET failing_since = now() - interval '5 days 1 minute' WHERE id = $1`, [id]);
        await db.query('UPDATE webhook_deliveries SET next_attempt_at = now() WHERE id = $1', [first.id]);
        await eventually(async () => {
          const [row] = await db.query('SELECT enabled, disabled_reason FROM webhook_subscriptions WHERE id = $1', [id]);
          return row.enabled === false && row.disabled_reason === 'failing';
        }, 'the endpoint to be disabled');
        const [event] = await db.query(`SELECT payload FROM outbox_events WHERE type = 'webhook.disabled' AND subject_id = $1`, [id]);
        expect(event.payload.data).toMatchObject({ reason: 'failing', webhook: { id, disabledReason: 'failing' } });
      } finally {
        receiver.answer = () => ({ status: 204 });
      }
    });

    it('pings one endpoint on demand', async () => {
      const target = await subscribe('/ping-target', ['agent.updated']);
      const bystander = await subscribe('/ping-bystander', ['*']);
      const ping = await t.http.post(`/v1/webhooks/${target.id}/test`).set(t.auth(t.main.key));
      expect(ping.status).toBe(202);
      expect(ping.body).toMatchObject({ webhookId: target.id, eventType: 'webhook.ping', status: 'pending', payload: { type: 'webhook.ping', data: { webhook: { id: target.id } } } });
      const received = await eventually(() => receiver.at('/ping-target')[0], 'the ping');
      expect(received.json).toMatchObject({ type: 'webhook.ping', id: ping.body.eventId });
      expect(() => new Webhook(target.secret).verify(received.body, received.headers as Record<string, string>)).not.toThrow();
      await waitForStatus(target.id, ping.body.id, 'succeeded');
      expect(receiver.at('/ping-bystander')).toHaveLength(0);
      expect((await deliveryRows(bystander.id)).length).toBe(0);
    });

    it('redelivers a delivery with the same webhook-id', async () => {
      const { id } = await subscribe('/redeliver', ['agent.created']);
      await createAgent();
      const first = await eventually(() => delivery(id, 'agent.created', (row) => row.status === 'succeeded'), 'the first delivery');
      const again = await t.http.post(`/v1/webhooks/${id}/deliveries/${first.id}/redeliver`).set(t.auth(t.main.key));
      expect(again.status).toBe(202);
      expect(again.body).toMatchObject({ id: first.id, status: 'pending' });
      await eventually(() => receiver.at('/redeliver').length === 2, 'the redelivery');
      const [one, two] = receiver.at('/redeliver');
      expect(two.headers['webhook-id']).toBe(one.headers['webhook-id']);
      await waitForStatus(id, first.id, 'succeeded');
      const log = await t.http.get(`/v1/webhooks/${id}/deliveries?status=succeeded`).set(t.auth(t.main.key));
      expect(log.body.data[0].attempts).toHaveLength(2);
      const missing = await t.http.post(`/v1/webhooks/${id}/deliveries/00000000-0000-4000-8000-000000000000/redeliver`).set(t.auth(t.main.key));
      expect(missing.status).toBe(404);
    });

    it('signs with both secrets for a day after a rotation', async () => {
      const { id, secret: oldSecret } = await subscribe('/rotate', ['agent.created']);
      const rotated = await t.http.post(`/v1/webhooks/${id}/rotate-secret`).set(t.auth(t.main.key));
      expect(rotated.status).toBe(200);
      const newSecret: string = rotated.body.secret;
      expect(newSecret).toMatch(/^whsec_/);
      expect(newSecret).not.toBe(oldSecret);
      const overlapHours = (Date.parse(rotated.body.previousSecretExpiresAt) - Date.now()) / 3_600_000;
      expect(overlapHours).toBeGreaterThan(23.9);
      expect(overlapHours).toBeLessThanOrEqual(24);
      expect((await t.http.get(`/v1/webhooks/${id}`).set(t.auth(t.main.key))).body).not.toHaveProperty('secret');
      await createAgent();
      const received = await eventually(() => receiver.at('/rotate')[0], 'a delivery after rotation');
      expect((received.headers['webhook-signature'] as string).split(' ')).toHaveLength(2);
      for (const secret of [oldSecret, newSecret]) {
        expect(() => new Webhook(secret).verify(received.body, received.headers as Record<string, string>)).not.toThrow();
      }
      // Once the overlap is over, only the new secret signs.
      await db.query(`UPDATE webhook_subscriptions SET previous_secret_expires_at = now() - interval '1 second' WHERE id = $1`, [id]);
      await createAgent();
      const later = await eventually(() => receiver.at('/rotate')[1], 'a delivery after the overlap');
      expect(() => new Webhook(newSecret).verify(later.body, later.headers as Record<string, string>)).not.toThrow();
      expect(() => new Webhook(oldSecret).verify(later.body, later.headers as Record<string, string>)).toThrow(WebhookVerificationError);
    });

    it('retries a delivery whose worker died holding it, once its lease runs out', async () => {
      const { id } = await subscribe('/orphan', ['agent.updated']);
      const eventId = '7d4bbf8e-2f6c-4b8e-9d7e-0a7c1f1d2e3f';
      // As a crashed instance leaves it: claimed (lease token set), its lease already expired.
      await db.query(
        `INSERT INTO webhook_deliveries (workspace_id, subscription_id, event_id, event_type, payload, status, attempt_count, next_attempt_at, lease_token)
         VALUES ($1, $2, $3, 'agent.updated', $4, 'pending', 0, now() - interval '1 second', gen_random_uuid())`,
        [t.main.id, id, eventId, JSON.stringify({ id: eventId, type: 'agent.updated', version: 1, createdAt: new Date().toISOString(), workspaceId: t.main.id, data: {} })],
      );
      await eventually(() => receiver.at('/orphan')[0], 'the orphaned delivery');
      expect(receiver.at('/orphan')[0].headers['webhook-id']).toBe(eventId);
    });
  });

  describe('instances and configuration', () => {
    // Instances that stop and restart share a database this test owns; each polls for due deliveries every 100 ms.
    const startInstance = (database: TestDatabase, env: Record<string, string> = {}) => startTestApp({ WEBHOOK_POLL_INTERVAL_MS: '100', ...env }, { database });
    const sqlOf = (instance: TestApp) => instance.app.get(DataSource);

    it('delivers events committed while no dispatcher was running', async () => {
      const database = await createTestDatabase();
      try {
        const apiOnly = await startInstance(database, { WEBHOOK_DISPATCHER_ENABLED: 'false' });
        let webhook: { id: string; secret: string };
        let agentId: string;
        try {
          webhook = (await apiOnly.http.post('/v1/webhooks').set(auth(database.bootstrapKey)).send({ url: receiver.url('/offline'), events: ['agent.created'] }).expect(201)).body;
          agentId = (await apiOnly.http.post('/v1/agents').set(auth(database.bootstrapKey)).send(newAgent()).expect(201)).body.id;
          const [{ count }] = await sqlOf(apiOnly).query('SELECT count(*)::int AS count FROM webhook_deliveries');
          expect(count).toBe(0);
        } finally {
          await apiOnly.close();
        }
        expect(receiver.at('/offline')).toHaveLength(0);
        const worker = await startInstance(database);
        try {
          const received = await eventually(() => receiver.at('/offline')[0], 'the delivery after restart');
          expect(received.json).toMatchObject({ type: 'agent.created', data: { agent: { id: agentId! } } });
          expect(() => new Webhook(webhook!.secret).verify(received.body, received.headers as Record<string, string>)).not.toThrow();
        } finally {
          await worker.close();
        }
      } finally {
        await database.drop();
      }
    });

    it('delivers every pending event after the server process is killed with SIGKILL mid-delivery', async () => {
      const database = await createTestDatabase();
      const port = await freePort();
      let hold = true;
      receiver.answer = (path) => (path === '/crash' && hold ? { status: -1 } : { status: 204 });
      const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', join(__dirname, '..', 'src', 'main.ts')], {
        env: { ...process.env, ...testInstanceKeys(), DATABASE_URL: database.url, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: process.env.DESKLINE_TEST_DATA_DIR,
          BOOTSTRAP_API_KEY: database.bootstrapKey, LOG_LEVEL: 'error', WEBHOOK_TIMEOUT_MS: '1000', WEBHOOK_POLL_INTERVAL_MS: '100', WEBHOOK_ALLOW_HTTP: 'true', WEBHOOK_ALLOW_PRIVATE: 'true', TS_NODE_PROJECT: join(__dirname, '..', 'tsconfig.json') },
        stdio: 'ignore',
      });
      const exited = new Promise((resolve) => child.once('exit', resolve));
      let restarted: TestApp | null = null;
      try {
        const api = request(`http://127.0.0.1:${port}`);
        await eventually(() => api.get('/health').then((response) => response.status === 200, () => false), 'the child server to start', 60_000);
        await api.post('/v1/webhooks').set(auth(database.bootstrapKey)).send({ url: receiver.url('/crash'), events: ['agent.created'] }).expect(201);
        const agents: string[] = [];
        for (let index = 0; index < 5; index++) agents.push((await api.post('/v1/agents').set(auth(database.bootstrapKey)).send(newAgent()).expect(201)).body.id);
        // The child is mid-delivery: it has sent at least one attempt the endpoint has not answered.
        await eventually(() => receiver.at('/crash').length > 0, 'a first attempt to reach the endpoint');
        child.kill('SIGKILL');
        await exited;
        hold = false;
        restarted = await startInstance(database, { WEBHOOK_TIMEOUT_MS: '1000' });
        await eventually(async () => {
          const [row] = await sqlOf(restarted!).query(`SELECT count(*) FILTER (WHERE status = 'succeeded')::int AS done FROM webhook_deliveries`);
          return row.done === agents.length;
        }, 'every delivery to succeed after the restart', 60_000);
        const delivered = new Set(receiver.at('/crash').filter((entry) => entry.json.type === 'agent.created').map((entry) => entry.json.data.agent.id));
        expect([...delivered].sort()).toEqual([...agents].sort());
      } finally {
        hold = false;
        receiver.answer = () => ({ status: 204 });
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
        await restarted?.close();
        await database.drop();
      }
    }, 150_000);

    it('shares the work between two instances without sending an attempt twice', async () => {
      const database = await createTestDatabase();
      const first = await startInstance(database);
      const second = await startInstance(database);
      try {
        await first.http.post('/v1/webhooks').set(auth(database.bootstrapKey)).send({ url: receiver.url('/pair'), events: ['agent.created'] }).expect(201);
        const count = 40;
        for (let index = 0; index < count; index++) {
          await (index % 2 ? second : first).http.post('/v1/agents').set(auth(database.bootstrapKey)).send(newAgent()).expect(201);
        }
        await eventually(async () => {
          const [row] = await sqlOf(first).query(`SELECT count(*) FILTER (WHERE status = 'succeeded')::int AS done FROM webhook_deliveries`);
          return row.done === count;
        }, 'all deliveries to succeed');
        const ids = receiver.at('/pair').map((entry) => entry.headers['webhook-id']);
        expect(ids).toHaveLength(count);
        expect(new Set(ids).size).toBe(count);
        const [{ attempts }] = await sqlOf(first).query('SELECT count(*)::int AS attempts FROM webhook_delivery_attempts');
        expect(attempts).toBe(count);
      } finally {
        await Promise.all([first.close(), second.close()]);
        await database.drop();
      }
    });

    it('marks a delivery failed once a shortened retry schedule is spent', async () => {
      const database = await createTestDatabase();
      const instance = await startInstance(database, { WEBHOOK_RETRY_SCHEDULE_MS: '0,0' });
      receiver.answer = (path) => (path === '/always-500' ? { status: 500 } : { status: 204 });
      try {
        const { id } = (await instance.http.post('/v1/webhooks').set(auth(database.bootstrapKey)).send({ url: receiver.url('/always-500'), events: ['agent.created'] }).expect(201)).body;
        await instance.http.post('/v1/agents').set(auth(database.bootstrapKey)).send(newAgent()).expect(201);
        const failed = await eventually(async () => {
          const [row] = await sqlOf(instance).query(`SELECT id, status, attempt_count, next_attempt_at FROM webhook_deliveries WHERE subscription_id = $1 AND status = 'failed'`, [id]);
          return row;
        }, 'the delivery to fail');
        expect(failed).toMatchObject({ attempt_count: 3, next_attempt_at: null });
        expect(receiver.at('/always-500')).toHaveLength(3);
        const webhook = (await instance.http.get(`/v1/webhooks/${id}`).set(auth(database.bootstrapKey))).body;
        expect(webhook).toMatchObject({ enabled: true, failingSince: expect.any(String) });
      } finally {
        receiver.answer = () => ({ status: 204 });
        await instance.close();
        await database.drop();
      }
    });

    it('refuses plain http and internal addresses when configured to, also at connect time', async () => {
      const database = await createTestDatabase();
      const strict = await startInstance(database, { WEBHOOK_ALLOW_HTTP: 'false', WEBHOOK_ALLOW_PRIVATE: 'false', WEBHOOK_TIMEOUT_MS: '2000' });
      try {
        const attempt = (url: string) => strict.http.post('/v1/webhooks').set(auth(database.bootstrapKey)).send({ url, events: ['agent.created'] });
        for (const url of [receiver.url('/ssrf'), 'https://127.0.0.1/hook', 'https://localhost/hook', 'https://169.254.169.254/latest/meta-data', 'https://10.1.2.3/',
          'https://[::1]/hook', 'https://[::ffff:127.0.0.1]/hook', 'https://0x7f000001/hook']) {
          const response = await attempt(url);
          expect({ url, status: response.status, field: response.body.errors?.[0]?.field }).toEqual({ url, status: 422, field: 'url' });
        }
        // Accepted while it pointed somewhere public, then (as DNS rebinding would) pointed at an internal address.
        const accepted = await attempt('https://93.184.216.34/hook');
        expect(accepted.status).toBe(201);
        await sqlOf(strict).query(`UPDATE webhook_subscriptions SET url = $2 WHERE id = $1`, [accepted.body.id, receiver.url('/ssrf').replace('127.0.0.1', 'localhost')]);
        await strict.http.post('/v1/agents').set(auth(database.bootstrapKey)).send(newAgent()).expect(201);
        const refused = await eventually(async () => {
          const [row] = await sqlOf(strict).query(`SELECT a.status_code, a.error FROM webhook_delivery_attempts a JOIN webhook_deliveries d ON d.id = a.delivery_id WHERE d.subscription_id = $1`, [accepted.body.id]);
          return row;
        }, 'the refused attempt');
        expect(refused).toEqual({ status_code: null, error: expect.stringMatching(/^refused: localhost resolves to (127\.0\.0\.1|::1)/) });
        expect(receiver.at('/ssrf')).toHaveLength(0);
      } finally {
        await strict.close();
        await database.drop();
      }
    });

    it('refuses an invalid configuration, naming the variable', () => {
      const base = { DATA_DIR: process.env.DESKLINE_TEST_DATA_DIR } as NodeJS.ProcessEnv;
      expect(() => loadConfig({ ...base, WEBHOOK_ENCRYPTION_KEY: 'c2hvcnQ=' })).toThrow(/WEBHOOK_ENCRYPTION_KEY must hold 32 random bytes/);
      expect(() => loadConfig({ ...base, WEBHOOK_RETRY_SCHEDULE_MS: '5000,soon' })).toThrow(/WEBHOOK_RETRY_SCHEDULE_MS/);
      expect(() => loadConfig({ ...base, WEBHOOK_TIMEOUT_MS: '0' })).toThrow(/WEBHOOK_TIMEOUT_MS must be between/);
      expect(() => loadConfig({ ...base, WEBHOOK_ALLOW_PRIVATE: 'maybe' })).toThrow(/WEBHOOK_ALLOW_PRIVATE must be true or false/);
      expect(loadConfig({ ...base, WEBHOOK_RETRY_SCHEDULE_MS: '10, 20' }).webhooks.retryScheduleMs).toEqual([10, 20]);
      expect(loadConfig({ ...base, WEBHOOK_ENCRYPTION_KEY: randomBytes(32).toString('base64') }).webhooks.encryptionKey).toHaveLength(32);
    });
  });
});
