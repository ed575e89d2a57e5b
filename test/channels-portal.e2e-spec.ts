import * as jwt from 'jsonwebtoken';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../src/config/app-config';
import { mintedTokenKey } from '../src/channels/portal/portal-tokens';
import { startTestApp, TestApp, TestWorkspace } from './support/test-app';

describe('customer portal', () => {
  let t: TestApp;
  let admin: { Authorization: string };
  let config: AppConfig;
  let agent: { id: string; name: string };
  let alice: string;
  let bob: string;
  let other: TestWorkspace;

  const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
  const mint = async (contactId: string, key = t.main.key): Promise<string> => {
    const response = await t.http.post('/v1/portal/tokens').set(t.auth(key)).send({ contactId });
    expect(response.status).toBe(201);
    return response.body.token;
  };
  const contact = async (email: string, key = t.main.key): Promise<string> =>
    (await t.http.post('/v1/contacts').set(t.auth(key)).send({ email, name: email.split('@')[0] }).expect(201)).body.id;
  const openAs = async (token: string, subject = 'My printer is on fire') =>
    (await t.http.post('/v1/portal/tickets').set(bearer(token)).send({ subject, message: { body: 'Please help' } }).expect(201)).body;
  const integratorToken = (secret: string, claims: Record<string, unknown>, options: jwt.SignOptions = {}) =>
    jwt.sign({ wid: t.main.id, ...claims }, secret, { algorithm: 'HS256', audience: 'deskline-portal', expiresIn: 300, ...options });

  beforeAll(async () => {
    t = await startTestApp();
    admin = t.auth(t.main.key);
    config = t.app.get<AppConfig>(APP_CONFIG);
    const created = await t.http.post('/v1/agents').set(admin).send({ name: 'Pat Agent', email: 'pat@example.com', role: 'agent', password: 'correct horse battery' }).expect(201);
    agent = { id: created.body.id, name: created.body.name };
    alice = await contact('alice@example.com');
    bob = await contact('bob@example.com');
    other = await t.newWorkspace();
  });
  afterAll(() => t?.close());

  it('mints a token for a contact (admin only; 422 naming contactId for an unknown contact)', async () => {
    const response = await t.http.post('/v1/portal/tokens').set(admin).send({ contactId: alice });
    expect(response.body).toMatchObject({ tokenType: 'Bearer', expiresIn: config.channels.portalTokenTtlSeconds, contactId: alice });
    const claims = jwt.decode(response.body.token) as jwt.JwtPayload;
    expect(claims).toMatchObject({ sub: alice, wid: t.main.id, aud: 'deskline-portal', iss: config.jwtIssuer });
    expect(claims.exp! - claims.iat!).toBe(config.channels.portalTokenTtlSeconds);

    const unknown = await t.http.post('/v1/portal/tokens').set(admin).send({ contactId: '00000000-0000-4000-8000-000000000000' });
    expect(unknown.status).toBe(422);
    expect(unknown.body.errors).toEqual([expect.objectContaining({ field: 'contactId' })]);
    const otherWorkspaceContact = await contact('carol@example.com', other.key);
    expect((await t.http.post('/v1/portal/tokens').set(admin).send({ contactId: otherWorkspaceContact })).status).toBe(422);

    const agentKey = (await t.http.post('/v1/api-keys').set(admin).send({ name: 'agent key', role: 'agent' }).expect(201)).body.key;
    expect((await t.http.post('/v1/portal/tokens').set(t.auth(agentKey)).send({ contactId: alice })).status).toBe(403);
  });

  it('lets a requester open, list and read their own tickets, with the portal channel and a requester-only shape', async () => {
    const token = await mint(alice);
    const ticket = await openAs(token);
    expect(ticket).toEqual({
      id: expect.any(String), number: expect.any(Number), subject: 'My printer is on fire', status: 'new', assignee: null, followUpOfId: null,
      createdAt: expect.any(String), updatedAt: expect.any(String), resolvedAt: null, closedAt: null, customFields: {},
    });
    const agentView = (await t.http.get(`/v1/tickets/${ticket.id}`).set(admin).expect(200)).body;
    expect(agentView).toMatchObject({ channel: 'portal', requester: { id: alice } });
    const messages = (await t.http.get(`/v1/tickets/${ticket.id}/messages`).set(admin)).body.data;
    expect(messages[0].author).toMatchObject({ type: 'contact', id: alice });

    const list = (await t.http.get('/v1/portal/tickets').set(bearer(token)).expect(200)).body;
    expect(list).toEqual({ data: [expect.objectContaining({ id: ticket.id })], nextCursor: null });
    expect((await t.http.get(`/v1/portal/tickets/${ticket.id}`).set(bearer(token))).body.id).toBe(ticket.id);
    expect((await t.http.post('/v1/portal/tickets').set(bearer(token)).send({ subject: '' })).status).toBe(422);
  });

  it('hides the internals: assignee by name only, no SLA, tags, priority, custom fields not visible to requesters; on_hold reads as open', async () => {
    const token = await mint(alice);
    const ticket = await openAs(token, 'Internals');
    await t.http.patch(`/v1/tickets/${ticket.id}`).set(admin)
      .send({ assigneeId: agent.id, tags: ['vip'], priority: 'urgent', customFields: { churnRisk: 'high' }, status: 'on_hold' }).expect(200);
    const seen = (await t.http.get(`/v1/portal/tickets/${ticket.id}`).set(bearer(token)).expect(200)).body;
    expect(seen.assignee).toEqual({ name: 'Pat Agent' });
    expect(seen.status).toBe('open');
    // Custom fields without a definition marked visibleToRequesters never reach the portal.
    expect(seen.customFields).toEqual({});
    for (const hidden of ['sla', 'tags', 'priority', 'team', 'requester', 'channel', 'type', 'version']) expect(seen).not.toHaveProperty(hidden);
    expect(JSON.stringify(seen)).not.toContain(agent.id);
    expect(JSON.stringify(seen)).not.toContain('churnRisk');
    const filtered = (await t.http.get('/v1/portal/tickets?status=open').set(bearer(token))).body.data.map((row: { id: string }) => row.id);
    expect(filtered).toContain(ticket.id);
  });

  it('never returns internal notes, and shows support replies by name', async () => {
    const token = await mint(alice);
    const ticket = await openAs(token, 'Notes');
    await t.http.post(`/v1/tickets/${ticket.id}/messages`).set(admin).send({ body: 'SECRET: customer is on the naughty list', visibility: 'internal' }).expect(201);
    const login = await t.http.post('/v1/auth/login').send({ email: 'pat@example.com', password: 'correct horse battery', workspace: 'default' }).expect(200);
    await t.http.post(`/v1/tickets/${ticket.id}/messages`).set(bearer(login.body.accessToken)).send({ body: 'We are on it' }).expect(201);
    await t.http.post(`/v1/tickets/${ticket.id}/messages`).set(admin).send({ body: 'Automated: received' }).expect(201);

    const response = await t.http.get(`/v1/portal/tickets/${ticket.id}/messages`).set(bearer(token)).expect(200);
    expect(response.text).not.toContain('SECRET');
    expect(response.text).not.toContain('internal');
    expect(response.body.data.map((m: { body: string; author: unknown }) => [m.body, m.author])).toEqual([
      ['Please help', { side: 'requester', name: 'alice' }],
      ['We are on it', { side: 'support', name: 'Pat Agent' }],
      // An integration key with no agent: its name is internal.
      ['Automated: received', { side: 'support', name: null }],
    ]);
    // Paging never leaks a note either.
    const first = (await t.http.get(`/v1/portal/tickets/${ticket.id}/messages?limit=1`).set(bearer(token))).body;
    const rest = (await t.http.get(`/v1/portal/tickets/${ticket.id}/messages?limit=5&cursor=${encodeURIComponent(first.nextCursor)}`).set(bearer(token))).body;
    expect(rest.data.map((m: { body: string }) => m.body)).toEqual(['We are on it', 'Automated: received']);
  });

  it('requester replies reopen pending and resolved tickets, resolve works, and a reply on a closed ticket opens a follow-up', async () => {
    const token = await mint(alice);
    const ticket = await openAs(token, 'Lifecycle');
    await t.http.patch(`/v1/tickets/${ticket.id}`).set(admin).send({ status: 'pending' }).expect(200);
    const reply = await t.http.post(`/v1/portal/tickets/${ticket.id}/messages`).set(bearer(token)).send({ body: 'Here is the info' });
    expect(reply.status).toBe(201);
    expect(reply.body.message).toMatchObject({ ticketId: ticket.id, body: 'Here is the info', author: { side: 'requester' } });
    expect(reply.body.ticket).toMatchObject({ id: ticket.id, status: 'open' });
    const events = (await t.http.get(`/v1/tickets/${ticket.id}/events`).set(admin)).body.data;
    expect(events.at(-1).actor).toMatchObject({ type: 'contact', id: alice });

    const resolved = await t.http.post(`/v1/portal/tickets/${ticket.id}/resolve`).set(bearer(token));
    expect(resolved.status).toBe(200);
    expect(resolved.body).toMatchObject({ status: 'resolved', resolvedAt: expect.any(String) });
    const reopened = await t.http.post(`/v1/portal/tickets/${ticket.id}/messages`).set(bearer(token)).send({ body: 'Still broken' }).expect(201);
    expect(reopened.body.ticket.status).toBe('open');

    await t.http.patch(`/v1/tickets/${ticket.id}`).set(admin).send({ status: 'closed' }).expect(200);
    const closedResolve = await t.http.post(`/v1/portal/tickets/${ticket.id}/resolve`).set(bearer(token));
    expect(closedResolve.status).toBe(409);
    const followUp = await t.http.post(`/v1/portal/tickets/${ticket.id}/messages`).set(bearer(token)).send({ body: 'It broke again' }).expect(201);
    expect(followUp.body.ticket).toMatchObject({ followUpOfId: ticket.id, status: 'new' });
    expect(followUp.body.message.ticketId).toBe(followUp.body.ticket.id);
    expect((await t.http.get(`/v1/portal/tickets/${followUp.body.ticket.id}`).set(bearer(token))).status).toBe(200);
  });

  it('honours Idempotency-Key on portal posts, per requester', async () => {
    const token = await mint(alice);
    const ticket = await openAs(token, 'Retry me');
    const send = (bearerToken: string, body: string) =>
      t.http.post(`/v1/portal/tickets/${ticket.id}/messages`).set(bearer(bearerToken)).set('Idempotency-Key', 'portal-retry-1').send({ body });
    const first = await send(token, 'Sent once, retried by a flaky network');
    expect(first.status).toBe(201);
    const retry = await send(token, 'Sent once, retried by a flaky network');
    expect(retry.status).toBe(201);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(retry.body.message.id).toBe(first.body.message.id);
    const changed = await send(token, 'A different message under the same key');
    expect(changed.status).toBe(422);
    expect(changed.body.errors[0].field).toBe('Idempotency-Key');
    const messages = (await t.http.get(`/v1/tickets/${ticket.id}/messages`).set(admin)).body.data;
    expect(messages.map((m: { body: string }) => m.body)).toEqual(['Please help', 'Sent once, retried by a flaky network']);
    // Another requester's key space is their own: the same key is a new request for Bob (on his own ticket).
    const bobToken = await mint(bob);
    const bobTicket = await openAs(bobToken, 'Mine');
    const bobs = await t.http.post(`/v1/portal/tickets/${bobTicket.id}/messages`).set(bearer(bobToken)).set('Idempotency-Key', 'portal-retry-1').send({ body: 'Bob writes' });
    expect(bobs.status).toBe(201);
    expect(bobs.headers['idempotent-replayed']).toBeUndefined();
  });

  it('lists and serves the files of public messages on the requester\'s own tickets, never of internal notes', async () => {
    const raw = readFileSync(join(__dirname, 'fixtures/email/multipart-with-attachment.eml'));
    const received = await t.http.post('/v1/channels/email/inbound').set(admin).set('Content-Type', 'message/rfc822').send(raw).expect(201);
    const ticketId: string = received.body.ticketId;
    const requester = (await t.http.get(`/v1/tickets/${ticketId}`).set(admin).expect(200)).body.requester.id;
    const token = await mint(requester);
    const [message] = (await t.http.get(`/v1/portal/tickets/${ticketId}/messages`).set(bearer(token)).expect(200)).body.data;
    expect(message.attachments).toEqual([{ id: expect.any(String), fileName: 'report.pdf', contentType: 'application/pdf', size: 82, inline: false }]);
    const url = `/v1/portal/tickets/${ticketId}/messages/${message.id}/attachments/${message.attachments[0].id}`;
    const download = await t.http.get(url).set(bearer(token)).buffer(true)
      .parse((res, done) => { const chunks: Buffer[] = []; res.on('data', (c: Buffer) => chunks.push(c)); res.on('end', () => done(null, Buffer.concat(chunks))); });
    expect(download.status).toBe(200);
    expect(download.headers['content-type']).toBe('application/pdf');
    expect(download.headers['content-disposition']).toContain('report.pdf');
    expect((download.body as Buffer).toString('latin1')).toMatch(/^%PDF-1\.4/);

    // Not for another requester, nor with an agent's key on the portal route.
    expect((await t.http.get(url).set(bearer(await mint(alice)))).status).toBe(404);
    expect((await t.http.get(url).set(admin)).status).toBe(401);
    // Once the message is an internal note (as a file forwarded internally would be), the portal does not serve it.
    await t.app.get(DataSource).query(`UPDATE ticket_messages SET visibility = 'internal' WHERE id = $1`, [message.id]);
    const hidden = await t.http.get(url).set(bearer(token));
    expect(hidden.status).toBe(404);
    expect(hidden.headers['content-type']).toContain('application/problem+json');
  });

  it('lets the requester rate a resolution once, and only a resolved ticket', async () => {
    const token = await mint(alice);
    const ticket = await openAs(token, 'Rate me');
    const early = await t.http.post(`/v1/portal/tickets/${ticket.id}/satisfaction`).set(bearer(token)).send({ rating: 'good' });
    expect(early.status).toBe(409);
    await t.http.post(`/v1/portal/tickets/${ticket.id}/resolve`).set(bearer(token)).expect(200);
    const rated = await t.http.post(`/v1/portal/tickets/${ticket.id}/satisfaction`).set(bearer(token)).send({ rating: 'bad', comment: 'Took a while' });
    expect(rated.status).toBe(201);
    expect(rated.body).toMatchObject({ rating: 'bad', comment: 'Took a while' });
    expect((await t.http.post(`/v1/portal/tickets/${ticket.id}/satisfaction`).set(bearer(token)).send({ rating: 'good' })).status).toBe(409);
    const invalid = await t.http.post(`/v1/portal/tickets/${ticket.id}/satisfaction`).set(bearer(token)).send({ rating: 'meh' });
    expect(invalid.status).toBe(422);
    expect(invalid.body.errors[0].field).toBe('rating');
  });

  it("isolates contacts of one workspace: another requester's ticket is a 404 on every route, never a 403", async () => {
    const aliceTicket = await openAs(await mint(alice), 'Private');
    const bobToken = await mint(bob);
    const probes = [
      t.http.get(`/v1/portal/tickets/${aliceTicket.id}`).set(bearer(bobToken)),
      t.http.get(`/v1/portal/tickets/${aliceTicket.id}/messages`).set(bearer(bobToken)),
      t.http.post(`/v1/portal/tickets/${aliceTicket.id}/messages`).set(bearer(bobToken)).send({ body: 'hi' }),
      t.http.post(`/v1/portal/tickets/${aliceTicket.id}/resolve`).set(bearer(bobToken)),
      t.http.post(`/v1/portal/tickets/${aliceTicket.id}/satisfaction`).set(bearer(bobToken)).send({ rating: 'good' }),
    ];
    for (const response of await Promise.all(probes)) {
      expect(response.status).toBe(404);
      expect(response.headers['content-type']).toContain('application/problem+json');
    }
    const bobList = (await t.http.get('/v1/portal/tickets').set(bearer(bobToken))).body.data;
    expect(bobList.map((row: { id: string }) => row.id)).not.toContain(aliceTicket.id);
    const untouched = (await t.http.get(`/v1/tickets/${aliceTicket.id}`).set(admin)).body;
    expect(untouched.status).toBe('new');
    expect((await t.http.get(`/v1/tickets/${aliceTicket.id}/messages`).set(admin)).body.data).toHaveLength(1);
  });

  it('isolates workspaces: a token of another workspace sees none of these tickets', async () => {
    const aliceTicket = await openAs(await mint(alice), 'Workspace A');
    const carol = await contact('carol2@example.com', other.key);
    const carolToken = await mint(carol, other.key);
    expect((await t.http.get(`/v1/portal/tickets/${aliceTicket.id}`).set(bearer(carolToken))).status).toBe(404);
    expect((await t.http.get('/v1/portal/tickets').set(bearer(carolToken))).body.data).toEqual([]);
    // Rewriting wid to another workspace breaks the signature.
    const [header, payload, signature] = carolToken.split('.');
    const forged = { ...JSON.parse(Buffer.from(payload, 'base64url').toString()), wid: t.main.id, sub: alice };
    const tampered = `${header}.${Buffer.from(JSON.stringify(forged)).toString('base64url')}.${signature}`;
    expect((await t.http.get('/v1/portal/tickets').set(bearer(tampered))).status).toBe(401);
  });

  it('searches only the requester\'s own tickets and never matches or quotes internal notes', async () => {
    const token = await mint(alice);
    const mine = await openAs(token, 'Zebra crossing lights broken');
    await t.http.post(`/v1/tickets/${mine.id}/messages`).set(admin).send({ body: 'walrus escalation internal', visibility: 'internal' }).expect(201);
    await openAs(await mint(bob), 'Zebra stripes on invoice');
    const hits = (await t.http.get('/v1/portal/search?q=zebra').set(bearer(token)).expect(200)).body;
    expect(hits.data.map((hit: { ticket: { id: string } }) => hit.ticket.id)).toEqual([mine.id]);
    expect(hits.data[0].ticket).not.toHaveProperty('sla');
    expect(hits.data[0].highlights.subject).toContain('<mark>');
    expect((await t.http.get('/v1/portal/search?q=walrus').set(bearer(token))).body.data).toEqual([]);
    const probe = await t.http.get('/v1/portal/search?q=tag:vip').set(bearer(token));
    expect(probe.status).toBe(422);
    expect(probe.body.errors).toEqual([expect.objectContaining({ field: 'q' })]);
    expect((await t.http.get(`/v1/portal/search?q=%23${mine.number}`).set(bearer(token))).body.data).toHaveLength(1);
    expect((await t.http.get('/v1/portal/search?q=zebra').set(admin)).status).toBe(401);
  });

  it('rejects expired, tampered, wrong-audience, wrong-algorithm and unsigned tokens', async () => {
    const key = mintedTokenKey(config.jwtSecret);
    const sign = (claims: Record<string, unknown>, options: jwt.SignOptions) =>
      jwt.sign({ wid: t.main.id, ...claims }, key, { algorithm: 'HS256', subject: alice, issuer: config.jwtIssuer, audience: 'deskline-portal', expiresIn: 300, ...options });
    const good = sign({}, {});
    expect((await t.http.get('/v1/portal/tickets').set(bearer(good))).status).toBe(200);

    const expired = jwt.sign({ wid: t.main.id, exp: Math.floor(Date.now() / 1000) - 120 }, key, { algorithm: 'HS256', subject: alice, issuer: config.jwtIssuer, audience: 'deskline-portal' });
    const wrongAudience = sign({}, { audience: config.jwtAudience });
    const hs512 = jwt.sign({ wid: t.main.id }, key, { algorithm: 'HS512', subject: alice, issuer: config.jwtIssuer, audience: 'deskline-portal', expiresIn: 300 });
    const noExp = jwt.sign({ wid: t.main.id }, key, { algorithm: 'HS256', subject: alice, issuer: config.jwtIssuer, audience: 'deskline-portal' });
    const unsigned = jwt.sign({ wid: t.main.id, sub: alice, iss: config.jwtIssuer, aud: 'deskline-portal', exp: Math.floor(Date.now() / 1000) + 300 }, '', { algorithm: 'none' });
    const [header, payload, signature] = good.split('.');
    const retargeted = `${header}.${Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload, 'base64url').toString()), sub: bob })).toString('base64url')}.${signature}`;
    const badSignature = `${header}.${payload}.${signature.slice(0, -4)}AAAA`;
    const signedWithInstanceSecret = jwt.sign({ wid: t.main.id }, config.jwtSecret, { algorithm: 'HS256', subject: alice, issuer: config.jwtIssuer, audience: 'deskline-portal', expiresIn: 300 });
    const rejected = { expired, wrongAudience, hs512, noExp, unsigned, retargeted, badSignature, signedWithInstanceSecret, garbage: 'not-a-token' };
    for (const [name, token] of Object.entries(rejected)) {
      const response = await t.http.get('/v1/portal/tickets').set(bearer(token));
      expect([name, response.status]).toEqual([name, 401]);
      expect(response.headers['content-type']).toContain('application/problem+json');
    }
    expect((await t.http.get('/v1/portal/tickets')).status).toBe(401);
  });

  it('accepts no API key or agent token on portal routes', async () => {
    const ticket = await openAs(await mint(alice), 'Doors');
    const login = await t.http.post('/v1/auth/login').send({ email: 'pat@example.com', password: 'correct horse battery', workspace: 'default' }).expect(200);
    for (const credential of [t.main.key, login.body.accessToken]) {
      expect((await t.http.get('/v1/portal/tickets').set(bearer(credential))).status).toBe(401);
      expect((await t.http.get(`/v1/portal/tickets/${ticket.id}`).set(bearer(credential))).status).toBe(401);
      expect((await t.http.post('/v1/portal/tickets').set(bearer(credential)).send({ subject: 'x', message: { body: 'y' } })).status).toBe(401);
    }
  });

  it('accepts no portal token on agent routes, REST or GraphQL', async () => {
    const token = await mint(alice);
    const ticket = await openAs(token, 'Agent doors');
    expect((await t.http.get('/v1/tickets').set(bearer(token))).status).toBe(401);
    expect((await t.http.get(`/v1/tickets/${ticket.id}`).set(bearer(token))).status).toBe(401);
    expect((await t.http.get('/v1/contacts').set(bearer(token))).status).toBe(401);
    expect((await t.http.post('/v1/portal/tokens').set(bearer(token)).send({ contactId: bob })).status).toBe(401);
    const graphql = await t.http.post('/graphql').set(bearer(token)).send({ query: '{ tickets { edges { node { id } } } }' });
    expect(graphql.body.data?.tickets ?? null).toBeNull();
    expect(graphql.body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
  });

  it('manages the portal secret: returned once, stored sealed, rotation retires the old one', async () => {
    expect((await t.http.get('/v1/portal/secret').set(admin)).body).toEqual({ configured: false, updatedAt: null });
    const created = await t.http.post('/v1/portal/secret').set(admin).expect(201);
    expect(created.body).toMatchObject({ secret: expect.stringMatching(/^dps_/), algorithm: 'HS256', audience: 'deskline-portal', workspaceId: t.main.id });
    const status = (await t.http.get('/v1/portal/secret').set(admin)).body;
    expect(status).toEqual({ configured: true, updatedAt: expect.any(String) });
    expect(JSON.stringify(status)).not.toContain(created.body.secret);
    const [row] = await t.app.get(require('typeorm').DataSource).query('SELECT jwt_secret_sealed FROM portal_settings WHERE workspace_id = $1', [t.main.id]);
    expect(row.jwt_secret_sealed).not.toContain(created.body.secret.slice(4));

    const oldToken = integratorToken(created.body.secret, { sub: 'ext-rotation', email: 'rotation@example.com' });
    expect((await t.http.get('/v1/portal/tickets').set(bearer(oldToken))).status).toBe(200);
    const rotated = (await t.http.post('/v1/portal/secret').set(admin).expect(201)).body;
    expect(rotated.secret).not.toBe(created.body.secret);
    expect((await t.http.get('/v1/portal/tickets').set(bearer(oldToken))).status).toBe(401);
    expect((await t.http.get('/v1/portal/tickets').set(bearer(integratorToken(rotated.secret, { sub: 'ext-rotation' })))).status).toBe(200);

    const agentKey = (await t.http.post('/v1/api-keys').set(admin).send({ name: 'agent key 2', role: 'agent' }).expect(201)).body.key;
    expect((await t.http.post('/v1/portal/secret').set(t.auth(agentKey))).status).toBe(403);
    await t.http.delete('/v1/portal/secret').set(admin).expect(204);
    expect((await t.http.get('/v1/portal/tickets').set(bearer(integratorToken(rotated.secret, { sub: 'ext-rotation' })))).status).toBe(401);
  });

  it("creates the contact on first use of an integrator's token, by externalId, and checks what it signs", async () => {
    const { secret } = (await t.http.post('/v1/portal/secret').set(admin).expect(201)).body;
    const token = integratorToken(secret, { sub: 'crm-42', email: 'Dana@Example.com', name: 'Dana Doe' });
    const ticket = await openAs(token, 'From our app');
    const found = (await t.http.get('/v1/contacts?externalId=crm-42').set(admin)).body.data;
    expect(found).toEqual([expect.objectContaining({ externalId: 'crm-42', email: 'dana@example.com', name: 'Dana Doe' })]);
    expect((await t.http.get(`/v1/tickets/${ticket.id}`).set(admin)).body.requester.id).toBe(found[0].id);

    // Later tokens (even without email) find the same contact and its tickets.
    const again = integratorToken(secret, { sub: 'crm-42' });
    expect((await t.http.get('/v1/portal/tickets').set(bearer(again))).body.data.map((row: { id: string }) => row.id)).toEqual([ticket.id]);
    expect((await t.http.get('/v1/contacts?externalId=crm-42').set(admin)).body.data).toHaveLength(1);

    // A contact who wrote in by email before is linked by the signed email, not duplicated.
    const linked = integratorToken(secret, { sub: 'crm-alice', email: 'alice@example.com' });
    const aliceTickets = (await t.http.get('/v1/portal/tickets').set(bearer(linked)).expect(200)).body.data;
    expect(aliceTickets.length).toBeGreaterThan(0);
    expect((await t.http.get(`/v1/contacts/${alice}`).set(admin)).body.externalId).toBe('crm-alice');

    const tooLong = integratorToken(secret, { sub: 'crm-42' }, { expiresIn: config.channels.portalTokenTtlSeconds + 3600 });
    const wrongAudience = integratorToken(secret, { sub: 'crm-42' }, { audience: 'someone-else' });
    const expired = jwt.sign({ wid: t.main.id, sub: 'crm-42', aud: 'deskline-portal', exp: Math.floor(Date.now() / 1000) - 120 }, secret, { algorithm: 'HS256' });
    const noExp = jwt.sign({ wid: t.main.id, sub: 'crm-42', aud: 'deskline-portal' }, secret, { algorithm: 'HS256' });
    const otherWorkspace = integratorToken(secret, { sub: 'crm-42', wid: other.id });
    const noWorkspace = jwt.sign({ sub: 'crm-42' }, secret, { algorithm: 'HS256', audience: 'deskline-portal', expiresIn: 60 });
    const wrongSecret = integratorToken('dps_guessed', { sub: 'crm-42' });
    for (const [name, bad] of Object.entries({ tooLong, wrongAudience, expired, noExp, otherWorkspace, noWorkspace, wrongSecret })) {
      expect([name, (await t.http.get('/v1/portal/tickets').set(bearer(bad))).status]).toEqual([name, 401]);
    }
  });
});
