import * as jwt from 'jsonwebtoken';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../../src/config/app-config';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * Each way a session ends must end its access tokens on the very next request, on this instance and on another one
 * over the same database: no eventually() here, since "at once" is the point.
 */
describe('sessions end at once, on every instance', () => {
  let a: TestApp;
  let b: TestApp;
  let admin: { Authorization: string };
  let seq = 0;

  beforeAll(async () => {
    a = await startTestApp();
    b = await startTestApp({}, { sameDatabaseAs: a });
    admin = a.auth(a.main.key);
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
  });

  async function newAgent(role: 'admin' | 'agent' = 'agent', password = 'first long password') {
    const email = `s${++seq}@example.com`;
    const created = await a.http.post('/v1/agents').set(admin).send({ name: `Agent ${seq}`, email, role, password });
    expect(created.status).toBe(201);
    return { id: created.body.id as string, email, password };
  }

  async function login(app: TestApp, agent: { email: string; password: string }) {
    const response = await app.http.post('/v1/auth/login').send({ email: agent.email, password: agent.password, workspace: 'default' });
    expect(response.status).toBe(200);
    return response.body as { accessToken: string; refreshToken: string };
  }

  /** The status each instance answers for a REST read and a GraphQL query with this access token. */
  async function statuses(accessToken: string) {
    const rest = await Promise.all([a, b].map((app) => app.http.get('/v1/agents').set(app.auth(accessToken))));
    const graphql = await Promise.all([a, b].map((app) => app.http.post('/graphql').set(app.auth(accessToken)).send({ query: '{ agents { id } }' })));
    return [...rest.map((r) => r.status), ...graphql.map((r) => (r.body.errors ? r.body.errors[0].extensions.code : 'OK'))];
  }
  const LIVE = [200, 200, 'OK', 'OK'];
  const ENDED = [401, 401, 'UNAUTHENTICATED', 'UNAUTHENTICATED'];

  it('ends every session of an agent whose password an admin changes, and its refresh tokens with them', async () => {
    const agent = await newAgent();
    const first = await login(a, agent);
    const second = await login(b, agent);
    expect(await statuses(first.accessToken)).toEqual(LIVE);

    const patched = await b.http.patch(`/v1/agents/${agent.id}`).set(admin).send({ password: 'second long password' });
    expect(patched.status).toBe(200);

    expect(await statuses(first.accessToken)).toEqual(ENDED);
    expect(await statuses(second.accessToken)).toEqual(ENDED);
    expect((await a.http.post('/v1/auth/refresh').send({ refreshToken: first.refreshToken })).status).toBe(401);
    expect((await b.http.post('/v1/auth/refresh').send({ refreshToken: second.refreshToken })).status).toBe(401);
    const fresh = await login(a, { ...agent, password: 'second long password' });
    expect(await statuses(fresh.accessToken)).toEqual(LIVE);
  });

  it('ends the caller\'s own session too when an admin changes their own password, through GraphQL as through REST', async () => {
    const self = await newAgent('admin');
    const session = await login(a, self);
    const changed = await a.http.post('/graphql').set(a.auth(session.accessToken))
      .send({ query: `mutation { updateAgent(id: "${self.id}", input: { password: "another long password" }) { id } }` });
    expect(changed.body.errors).toBeUndefined();
    expect(await statuses(session.accessToken)).toEqual(ENDED);
  });

  it('leaves sessions alone when a PATCH changes other fields', async () => {
    const agent = await newAgent();
    const session = await login(a, agent);
    expect((await a.http.patch(`/v1/agents/${agent.id}`).set(admin).send({ name: 'Renamed', availability: 'online' })).status).toBe(200);
    expect(await statuses(session.accessToken)).toEqual(LIVE);
  });

  it('ends the access token of a session logged out on the other instance', async () => {
    const agent = await newAgent();
    const session = await login(a, agent);
    const other = await login(a, agent);
    expect((await b.http.post('/v1/auth/logout').send({ refreshToken: session.refreshToken })).status).toBe(204);
    expect(await statuses(session.accessToken)).toEqual(ENDED);
    // Logout ends one session, not the agent's others.
    expect(await statuses(other.accessToken)).toEqual(LIVE);
  });

  it('ends the whole session, access tokens included, when a used refresh token comes back', async () => {
    const agent = await newAgent();
    const original = await login(a, agent);
    const rotated = await b.http.post('/v1/auth/refresh').send({ refreshToken: original.refreshToken });
    expect(rotated.status).toBe(200);
    expect(await statuses(original.accessToken)).toEqual(LIVE);
    expect(await statuses(rotated.body.accessToken)).toEqual(LIVE);

    const reused = await a.http.post('/v1/auth/refresh').send({ refreshToken: original.refreshToken });
    expect(reused.status).toBe(401);
    expect(await statuses(original.accessToken)).toEqual(ENDED);
    expect(await statuses(rotated.body.accessToken)).toEqual(ENDED);
    expect((await b.http.post('/v1/auth/refresh').send({ refreshToken: rotated.body.refreshToken })).status).toBe(401);
  });

  it('deactivation ends every session and the agent\'s API keys, refuses its logins like a wrong password, and reactivation lets it in again', async () => {
    const agent = await newAgent();
    const session = await login(a, agent);
    const key = (await a.http.post('/v1/api-keys').set(admin).send({ name: 'bound', role: 'agent', agentId: agent.id })).body.key;
    expect((await b.http.get('/v1/agents').set(b.auth(key))).status).toBe(200);

    const deactivated = await b.http.patch(`/v1/agents/${agent.id}`).set(admin).send({ active: false });
    expect(deactivated.body).toMatchObject({ active: false });
    expect(await statuses(session.accessToken)).toEqual(ENDED);
    expect((await a.http.get('/v1/agents').set(a.auth(key))).status).toBe(401);
    expect((await a.http.post('/v1/auth/refresh').send({ refreshToken: session.refreshToken })).status).toBe(401);
    const refused = await a.http.post('/v1/auth/login').send({ email: agent.email, password: agent.password, workspace: 'default' });
    const wrong = await a.http.post('/v1/auth/login').send({ email: agent.email, password: 'not the password', workspace: 'default' });
    expect(refused.status).toBe(401);
    expect(refused.body).toEqual(wrong.body);

    const reactivated = await a.http.post('/graphql').set(admin).send({ query: `mutation { updateAgent(id: "${agent.id}", input: { active: true }) { active } }` });
    expect(reactivated.body.data.updateAgent).toEqual({ active: true });
    expect((await b.http.get('/v1/agents').set(b.auth(key))).status).toBe(200);
    expect(await statuses((await login(b, agent)).accessToken)).toEqual(LIVE);
    // Reactivating does not revive the sessions deactivation ended.
    expect(await statuses(session.accessToken)).toEqual(ENDED);
  });

  it('refuses access tokens issued before sessions existed (no sid), and ones naming another agent\'s session', async () => {
    const agent = await newAgent();
    const other = await newAgent();
    const session = await login(a, agent);
    const config = a.app.get<AppConfig>(APP_CONFIG);
    const sign = (claims: object) =>
      jwt.sign(claims, config.jwtSecret, { algorithm: 'HS256', expiresIn: 60, issuer: config.jwtIssuer, audience: config.jwtAudience });
    const { sid } = jwt.decode(session.accessToken) as { sid: string };

    expect(await statuses(sign({ sub: agent.id, wid: a.main.id, role: 'agent', sid }))).toEqual(LIVE);
    expect(await statuses(sign({ sub: agent.id, wid: a.main.id, role: 'agent' }))).toEqual(ENDED);
    expect(await statuses(sign({ sub: other.id, wid: a.main.id, role: 'agent', sid }))).toEqual(ENDED);
    expect(await statuses(sign({ sub: agent.id, wid: a.main.id, role: 'agent', sid: 'not-a-uuid' }))).toEqual(ENDED);
  });

  it('records why each session ended', async () => {
    const rows: Array<{ reason: string }> = await a.app.get(DataSource).query('SELECT DISTINCT revoked_reason AS reason FROM sessions WHERE revoked_at IS NOT NULL');
    expect(rows.map((row) => row.reason).sort()).toEqual(['deactivated', 'logout', 'password_changed', 'refresh_reuse']);
  });
});
