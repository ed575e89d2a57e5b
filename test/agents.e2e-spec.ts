import { startTestApp, TestApp } from './support/test-app';

describe('agents and API keys', () => {
  let t: TestApp;
  let admin: { Authorization: string };

  beforeAll(async () => {
    t = await startTestApp();
    admin = t.auth(t.main.key);
  });
  afterAll(() => t.close());

  it('creates, reads, lists and updates agents without ever exposing password hashes', async () => {
    const created = await t.http.post('/v1/agents').set(admin).send({ name: 'Bo', email: 'BO@example.com', role: 'agent', password: 'a long password', capacity: 5 });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      id: expect.any(String), name: 'Bo', email: 'bo@example.com', role: 'agent', availability: 'offline', capacity: 5, hasPassword: true,
      active: true, locked: false, lockedUntil: null, createdAt: expect.any(String), updatedAt: expect.any(String),
    });
    const read = await t.http.get(`/v1/agents/${created.body.id}`).set(admin);
    expect(read.body).toEqual(created.body);
    expect(read.headers.etag).toBeDefined();
    const updated = await t.http.patch(`/v1/agents/${created.body.id}`).set(admin).send({ availability: 'online', capacity: null, name: 'Bo B.' });
    expect(updated.body).toMatchObject({ availability: 'online', capacity: null, name: 'Bo B.', hasPassword: true });
    const list = await t.http.get('/v1/agents?limit=100').set(admin);
    expect(list.body.data.map((a: { id: string }) => a.id)).toContain(created.body.id);
    expect(JSON.stringify(list.body)).not.toMatch(/passwordHash|scrypt\$/);
  });

  it('rejects duplicate emails case-insensitively and invalid fields by name', async () => {
    await t.http.post('/v1/agents').set(admin).send({ name: 'Cy', email: 'cy@example.com', role: 'agent' }).expect(201);
    const duplicate = await t.http.post('/v1/agents').set(admin).send({ name: 'Cy 2', email: 'CY@example.com', role: 'agent' });
    expect(duplicate.status).toBe(409);
    expect(duplicate.body.field).toBe('email');
    const invalid = await t.http.post('/v1/agents').set(admin).send({ name: '', email: 'x', role: 'owner', password: 'short' });
    expect(invalid.status).toBe(422);
    expect(invalid.body.errors.map((e: { field: string }) => e.field)).toEqual(expect.arrayContaining(['name', 'email', 'role', 'password']));
  });

  it('lets agents read agents but not create or change them', async () => {
    const agentKey = (await t.http.post('/v1/api-keys').set(admin).send({ name: 'agent', role: 'agent' })).body.key;
    expect((await t.http.get('/v1/agents').set(t.auth(agentKey))).status).toBe(200);
    const someone = (await t.http.get('/v1/agents').set(admin)).body.data[0].id;
    const patch = await t.http.patch(`/v1/agents/${someone}`).set(t.auth(agentKey)).send({ role: 'admin' });
    expect(patch.status).toBe(403);
    expect(patch.headers['content-type']).toMatch(/problem\+json/);
  });

  it('binds an API key to an agent, so replies through it are authored by that agent', async () => {
    const agent = (await t.http.post('/v1/agents').set(admin).send({ name: 'Di', email: 'di@example.com', role: 'agent' })).body;
    const key = await t.http.post('/v1/api-keys').set(admin).send({ name: 'Di key', role: 'agent', agentId: agent.id });
    expect(key.body.agentId).toBe(agent.id);
    const ticket = (await t.http.post('/v1/tickets').set(admin).send({ subject: 's', message: { body: 'b' }, requester: { email: 'r@example.com' } })).body;
    const reply = await t.http.post(`/v1/tickets/${ticket.id}/messages`).set(t.auth(key.body.key)).send({ body: 'hi' });
    expect(reply.body.author).toEqual({ type: 'agent', id: agent.id, name: 'Di' });
    const unknown = await t.http.post('/v1/api-keys').set(admin).send({ name: 'x', role: 'agent', agentId: '00000000-0000-4000-8000-000000000000' });
    expect(unknown.status).toBe(422);
    expect(unknown.body.errors[0].field).toBe('agentId');
  });

  it('only lets a platform key grant the platform scope', async () => {
    const plainAdmin = (await t.http.post('/v1/api-keys').set(admin).send({ name: 'plain', role: 'admin' })).body.key;
    const escalate = await t.http.post('/v1/api-keys').set(t.auth(plainAdmin)).send({ name: 'sneaky', role: 'admin', scopes: ['platform'] });
    expect(escalate.status).toBe(403);
    const granted = await t.http.post('/v1/api-keys').set(admin).send({ name: 'ops', role: 'admin', scopes: ['platform'] });
    expect(granted.body.scopes).toEqual(['platform']);
  });

  it('logs out by revoking the refresh token', async () => {
    await t.http.post('/v1/agents').set(admin).send({ name: 'Ed', email: 'ed@example.com', role: 'admin', password: 'another long password' }).expect(201);
    const login = await t.http.post('/v1/auth/login').send({ email: 'ed@example.com', password: 'another long password', workspace: 'default' });
    expect((await t.http.post('/v1/auth/logout').send({ refreshToken: login.body.refreshToken })).status).toBe(204);
    expect((await t.http.post('/v1/auth/refresh').send({ refreshToken: login.body.refreshToken })).status).toBe(401);
    const wrongWorkspace = await t.http.post('/v1/auth/login').send({ email: 'ed@example.com', password: 'another long password', workspace: 'nope' });
    expect(wrongWorkspace.status).toBe(401);
  });

  it('keeps agents and keys of other workspaces invisible and untouchable', async () => {
    const agent = (await t.http.post('/v1/agents').set(admin).send({ name: 'Fi', email: 'fi@example.com', role: 'agent' })).body;
    const key = (await t.http.post('/v1/api-keys').set(admin).send({ name: 'mine', role: 'agent' })).body;
    const other = await t.newWorkspace();
    const theirs = t.auth(other.key);
    expect((await t.http.get(`/v1/agents/${agent.id}`).set(theirs)).status).toBe(404);
    expect((await t.http.patch(`/v1/agents/${agent.id}`).set(theirs).send({ name: 'x' })).status).toBe(404);
    expect((await t.http.delete(`/v1/api-keys/${key.id}`).set(theirs)).status).toBe(404);
    expect((await t.http.get('/v1/agents').set(admin)).status).toBe(200);
    const theirAgents = (await t.http.get('/v1/agents?limit=100').set(theirs)).body.data;
    expect(theirAgents.map((a: { id: string }) => a.id)).not.toContain(agent.id);
    const theirKeys = (await t.http.get('/v1/api-keys').set(theirs)).body.data;
    expect(theirKeys.map((k: { id: string }) => k.id)).not.toContain(key.id);
    // The same email may exist in both workspaces.
    expect((await t.http.post('/v1/agents').set(theirs).send({ name: 'Fi', email: 'fi@example.com', role: 'agent' })).status).toBe(201);
    // A key from another workspace cannot be bound to our agent.
    const crossBind = await t.http.post('/v1/api-keys').set(theirs).send({ name: 'x', role: 'agent', agentId: agent.id });
    expect(crossBind.status).toBe(422);
  });

  it('serves agents over GraphQL with the same rules', async () => {
    const created = await t.http.post('/graphql').set(admin).send({ query: 'mutation { createAgent(input: { name: "Gu", email: "gu@example.com", role: agent }) { id role availability } }' });
    expect(created.body.data.createAgent).toMatchObject({ role: 'agent', availability: 'offline' });
    const agentKey = (await t.http.post('/v1/api-keys').set(admin).send({ name: 'g', role: 'agent' })).body.key;
    const denied = await t.http.post('/graphql').set(t.auth(agentKey)).send({ query: 'mutation { createAgent(input: { name: "Ha", email: "ha@example.com", role: admin }) { id } }' });
    expect(denied.body.errors[0].extensions).toMatchObject({ code: 'FORBIDDEN', status: 403 });
    const listed = await t.http.post('/graphql').set(t.auth(agentKey)).send({ query: '{ agents { email } }' });
    expect(listed.body.data.agents.map((a: { email: string }) => a.email)).toContain('gu@example.com');
  });

  it('answers a malformed agent id in GraphQL with a validation error naming it, not a 500', async () => {
    for (const query of ['mutation { unlockAgent(id: "x") { id } }', '{ agent(id: "x") { id } }', 'mutation { updateAgent(id: "x", input: { name: "a" }) { id } }']) {
      const response = await t.http.post('/graphql').set(admin).send({ query });
      expect(response.body.errors[0].extensions).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ field: 'id', message: 'must be a UUID' }] });
    }
  });
});
