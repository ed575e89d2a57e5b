import { startTestApp, TestApp } from './support/test-app';

describe('authentication, API keys and workspaces', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('rejects requests without a credential with a problem body', async () => {
    const response = await t.http.get('/v1/agents');
    expect(response.status).toBe(401);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.body).toMatchObject({ status: 401, title: 'Unauthorized', type: expect.stringContaining('unauthenticated') });
  });

  it('creates, lists and revokes API keys; a revoked key stops working at once', async () => {
    const created = await t.http.post('/v1/api-keys').set(t.auth(t.main.key)).send({ name: 'CI', role: 'agent' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ id: expect.any(String), name: 'CI', role: 'agent', key: expect.stringMatching(/^dsk_/) });

    const listed = await t.http.get('/v1/api-keys').set(t.auth(t.main.key));
    expect(listed.status).toBe(200);
    expect(listed.body.data.map((k: { id: string }) => k.id)).toContain(created.body.id);
    expect(JSON.stringify(listed.body)).not.toContain(created.body.key);

    expect((await t.http.get('/v1/agents').set(t.auth(created.body.key))).status).toBe(200);
    expect((await t.http.delete(`/v1/api-keys/${created.body.id}`).set(t.auth(t.main.key))).status).toBe(204);
    expect((await t.http.get('/v1/agents').set(t.auth(created.body.key))).status).toBe(401);
  });

  it('stores API keys only as hashes', async () => {
    const created = await t.http.post('/v1/api-keys').set(t.auth(t.main.key)).send({ name: 'hash check', role: 'admin' });
    const rows = await t.app.get(require('typeorm').DataSource).query('SELECT key_hash FROM api_keys WHERE id = $1', [created.body.id]);
    expect(rows[0].key_hash).toHaveLength(64);
    expect(rows[0].key_hash).not.toContain(created.body.key);
  });

  it('forbids agents from managing keys and agents', async () => {
    const agentKey = (await t.http.post('/v1/api-keys').set(t.auth(t.main.key)).send({ name: 'agent', role: 'agent' })).body.key;
    const keys = await t.http.get('/v1/api-keys').set(t.auth(agentKey));
    expect(keys.status).toBe(403);
    expect(keys.headers['content-type']).toMatch(/problem\+json/);
    const agent = await t.http.post('/v1/agents').set(t.auth(agentKey)).send({ name: 'X', email: 'x@example.com', role: 'agent' });
    expect(agent.status).toBe(403);
  });

  it('creates workspaces only with the platform scope', async () => {
    const other = await t.newWorkspace('Acme Support');
    expect(other.slug).toBe('acme-support');
    const denied = await t.http.post('/v1/workspaces').set(t.auth(other.key)).send({ name: 'Nope' });
    expect(denied.status).toBe(403);
    const duplicate = await t.http.post('/v1/workspaces').set(t.auth(t.main.key)).send({ name: 'Again', slug: 'acme-support' });
    expect(duplicate.status).toBe(409);
  });

  it('logs agents in with JWTs, rotates refresh tokens and revokes a reused one', async () => {
    await t.http.post('/v1/agents').set(t.auth(t.main.key))
      .send({ name: 'Ana', email: 'Ana@Example.com', role: 'agent', password: 'correct horse battery' }).expect(201);
    const wrong = await t.http.post('/v1/auth/login').send({ email: 'ana@example.com', password: 'wrong password!', workspace: 'default' });
    expect(wrong.status).toBe(401);
    const login = await t.http.post('/v1/auth/login').send({ email: 'ana@example.com', password: 'correct horse battery', workspace: 'default' });
    expect(login.status).toBe(200);
    expect(login.body).toMatchObject({ accessToken: expect.any(String), refreshToken: expect.stringMatching(/^dsr_/), expiresIn: 900 });

    expect((await t.http.get('/v1/agents').set(t.auth(login.body.accessToken))).status).toBe(200);
    expect((await t.http.get('/v1/api-keys').set(t.auth(login.body.accessToken))).status).toBe(403);

    const refreshed = await t.http.post('/v1/auth/refresh').send({ refreshToken: login.body.refreshToken });
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.refreshToken).not.toBe(login.body.refreshToken);
    const reused = await t.http.post('/v1/auth/refresh').send({ refreshToken: login.body.refreshToken });
    expect(reused.status).toBe(401);
    // Reuse revoked the whole family, including the token issued by the legitimate refresh.
    expect((await t.http.post('/v1/auth/refresh').send({ refreshToken: refreshed.body.refreshToken })).status).toBe(401);
  });

  it('rejects tampered, unsigned and wrong-audience tokens', async () => {
    const jwt = require('jsonwebtoken');
    const [agent] = await t.app.get(require('typeorm').DataSource).query(`SELECT id FROM agents LIMIT 1`);
    const claims = { sub: agent?.id ?? '00000000-0000-0000-0000-000000000000', wid: t.main.id, role: 'admin' };
    const secret = 'test-secret-that-is-long-enough-for-hs256-signing';
    const unsigned = jwt.sign(claims, '', { algorithm: 'none', issuer: 'deskline', audience: 'deskline-api', expiresIn: 60 });
    const wrongAudience = jwt.sign(claims, secret, { algorithm: 'HS256', issuer: 'deskline', audience: 'other', expiresIn: 60 });
    const noExpiry = jwt.sign(claims, secret, { algorithm: 'HS256', issuer: 'deskline', audience: 'deskline-api' });
    for (const token of [unsigned, wrongAudience, noExpiry]) {
      expect((await t.http.get('/v1/agents').set(t.auth(token))).status).toBe(401);
    }
  });
});
