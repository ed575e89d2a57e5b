import { DataSource } from 'typeorm';
import { LoginThrottleRepository } from '../../src/auth/login-throttle/login-throttle.repository';
import { ConfigError, loadConfig } from '../../src/config/app-config';
import { startTestApp, TestApp } from '../support/test-app';

const PASSWORD = 'the right long password';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
let seq = 0;
/** A client address of its own per test, so that address counters do not mix: the apps trust X-Forwarded-For from loopback, as behind a proxy. */
const newAddress = () => `198.51.100.${++seq}`;
const BEHIND_A_PROXY = { TRUST_PROXY: 'loopback' };

function loginAs(app: TestApp, email: string, password: string, address: string) {
  return app.http.post('/v1/auth/login').set('X-Forwarded-For', address).send({ email, password, workspace: 'default' });
}

async function newAgent(app: TestApp) {
  const email = `t${++seq}@example.com`;
  const created = await app.http.post('/v1/agents').set(app.auth(app.main.key)).send({ name: `Agent ${seq}`, email, role: 'agent', password: PASSWORD });
  expect(created.status).toBe(201);
  return { id: created.body.id as string, email };
}

/** Time passing, for waits longer than a test should sleep: every stored instant of the throttle and of agent locks moves back. */
async function elapse(app: TestApp, seconds: number) {
  const db = app.app.get(DataSource);
  const shift = `make_interval(secs => ${seconds})`;
  await db.query(`UPDATE login_throttle SET last_failure_at = last_failure_at - ${shift}, blocked_until = blocked_until - ${shift}`);
  await db.query(`UPDATE agents SET locked_at = locked_at - ${shift}, locked_until = locked_until - ${shift} WHERE locked_at IS NOT NULL`);
}

describe('login throttling with the defaults (delay after 5 failures, per address after 20), over two instances', () => {
  let a: TestApp;
  let b: TestApp;
  beforeAll(async () => {
    a = await startTestApp(BEHIND_A_PROXY);
    b = await startTestApp(BEHIND_A_PROXY, { sameDatabaseAs: a });
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
  });

  it('answers the first 5 failures with 401, then refuses with 429 and a Retry-After that doubles, on either instance', async () => {
    const agent = await newAgent(a);
    const address = newAddress();
    for (let i = 1; i <= 5; i++) expect((await loginAs(i % 2 ? a : b, agent.email, 'wrong password', address)).status).toBe(401);

    const refused = await loginAs(b, agent.email, PASSWORD, address);
    expect(refused.status).toBe(429);
    expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(refused.headers['retry-after']).toBe('1');
    expect(refused.body).toMatchObject({ status: 429, type: expect.stringContaining('login-throttled'), retryAfter: 1 });

    await sleep(1000);
    expect((await loginAs(a, agent.email, 'wrong password', address)).status).toBe(401);
    const doubled = await loginAs(a, agent.email, PASSWORD, address);
    expect(doubled.status).toBe(429);
    expect(doubled.headers['retry-after']).toBe('2');
    expect((await loginAs(b, agent.email, PASSWORD, address)).headers['retry-after']).toMatch(/^[12]$/);

    await sleep(2000);
    expect((await loginAs(b, agent.email, PASSWORD, address)).status).toBe(200);
    // Success starts the account's count again: five more failures before any delay.
    for (let i = 1; i <= 5; i++) expect((await loginAs(a, agent.email, 'wrong password', address)).status).toBe(401);
    expect((await loginAs(a, agent.email, PASSWORD, address)).status).toBe(429);
  });

  it('logs in every one of parallel right-password logins of one account, though each success clears its counter', async () => {
    const agent = await newAgent(a);
    // At most 5 at once: each is counted until it succeeds, and a sixth would be delayed.
    for (let round = 0; round < 8; round++) {
      const responses = await Promise.all(Array.from({ length: 5 }, (_, i) => loginAs(i % 2 ? a : b, agent.email, PASSWORD, newAddress())));
      expect(responses.map((response) => response.status)).toEqual([200, 200, 200, 200, 200]);
    }
  });

  it('throttles an account whatever address the guesses come from', async () => {
    const agent = await newAgent(a);
    for (let i = 1; i <= 5; i++) expect((await loginAs(a, agent.email, 'wrong password', newAddress())).status).toBe(401);
    expect((await loginAs(b, agent.email, PASSWORD, newAddress())).status).toBe(429);
  });

  it('answers an email that belongs to no agent exactly as it answers a real one, so throttling reveals nothing', async () => {
    const agent = await newAgent(a);
    const seen: Array<[string, number, unknown, string | undefined]> = [];
    for (const email of [agent.email, 'nobody-here@example.com']) {
      const address = newAddress();
      for (let i = 1; i <= 7; i++) {
        const response = await loginAs(a, email, 'wrong password', address);
        seen.push([email, response.status, response.body, response.headers['retry-after']]);
      }
    }
    const real = seen.filter(([email]) => email === agent.email).map(([, ...rest]) => rest);
    const unknown = seen.filter(([email]) => email !== agent.email).map(([, ...rest]) => rest);
    expect(real.map(([status]) => status)).toEqual([401, 401, 401, 401, 401, 429, 429]);
    expect(unknown).toEqual(real);
  });

  it('counts parallel guesses before checking them, so a burst across both instances gets about 5 tries, not 24', async () => {
    const agent = await newAgent(a);
    const address = newAddress();
    const responses = await Promise.all(Array.from({ length: 24 }, (_, i) => loginAs(i % 2 ? a : b, agent.email, 'wrong password', address)));
    const statuses = responses.map((response) => response.status);
    // Exactly 5 when the burst is through in under the first 1 s delay; a slow machine may let one more in after it.
    const tried = statuses.filter((status) => status === 401).length;
    expect(tried).toBeGreaterThanOrEqual(5);
    expect(tried).toBeLessThanOrEqual(6);
    expect(statuses.filter((status) => status === 429)).toHaveLength(24 - tried);
  });

  it('delays an address after 20 failures across any accounts, and leaves other addresses alone', async () => {
    const agent = await newAgent(a);
    const address = newAddress();
    for (let i = 0; i < 20; i++) expect((await loginAs(i % 2 ? a : b, `sprayed-${seq}-${i}@example.com`, 'wrong password', address)).status).toBe(401);
    const refused = await loginAs(a, agent.email, PASSWORD, address);
    expect(refused.status).toBe(429);
    expect(refused.headers['retry-after']).toBe('1');
    expect((await loginAs(b, agent.email, PASSWORD, newAddress())).status).toBe(200);
  });

  it('does not count successful logins against the address', async () => {
    const agent = await newAgent(a);
    const address = newAddress();
    for (let i = 0; i < 22; i++) expect((await loginAs(i % 2 ? a : b, agent.email, PASSWORD, address)).status).toBe(200);
  });

  it('forgets failures once a whole window (15 min) passes without one', async () => {
    const agent = await newAgent(a);
    const address = newAddress();
    for (let i = 1; i <= 4; i++) expect((await loginAs(a, agent.email, 'wrong password', address)).status).toBe(401);
    await elapse(a, 899);
    expect((await loginAs(a, agent.email, 'wrong password', address)).status).toBe(401);
    expect((await loginAs(a, agent.email, PASSWORD, address)).status).toBe(429);
    await elapse(a, 900);
    for (let i = 1; i <= 4; i++) expect((await loginAs(a, agent.email, 'wrong password', address)).status).toBe(401);
    expect((await loginAs(a, agent.email, PASSWORD, address)).status).toBe(200);
  });

  it('sweeps away counters whose window has passed, so made-up emails do not pile up', async () => {
    const db = a.app.get(DataSource);
    const email = `made-up-${++seq}@example.com`;
    expect((await loginAs(a, email, 'wrong password', newAddress())).status).toBe(401);
    const count = async () => (await db.query(`SELECT count(*)::int AS n FROM login_throttle WHERE key LIKE $1`, [`%${email}`]))[0].n;
    const sweep = () => a.app.get(LoginThrottleRepository).deleteStale(db.manager, 900);
    await elapse(a, 899);
    await sweep();
    expect(await count()).toBe(1);
    await elapse(a, 2);
    await sweep();
    expect(await count()).toBe(0);
  });
});

describe('account lock (delay after 2 failures, lock after 4)', () => {
  let a: TestApp;
  let b: TestApp;
  const env = { LOGIN_MAX_FAILURES_BEFORE_DELAY: '2', LOGIN_LOCK_AFTER_FAILURES: '4' };
  beforeAll(async () => {
    a = await startTestApp({ ...BEHIND_A_PROXY, ...env, LOGIN_LOCK_SECONDS: '0' });
    b = await startTestApp({ ...BEHIND_A_PROXY, ...env, LOGIN_LOCK_SECONDS: '0' }, { sameDatabaseAs: a });
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
  });

  async function failUntilLocked(agent: { email: string }, address: string) {
    for (let i = 1; i <= 4; i++) {
      expect((await loginAs(i % 2 ? a : b, agent.email, 'wrong password', address)).status).toBe(401);
      await elapse(a, 60);
    }
  }

  it('locks after the 4th failure: the right password is then answered exactly like a wrong one, until an admin unlocks', async () => {
    const agent = await newAgent(a);
    const address = newAddress();
    for (let i = 1; i <= 3; i++) {
      expect((await loginAs(a, agent.email, 'wrong password', address)).status).toBe(401);
      await elapse(a, 60);
    }
    expect((await a.http.get(`/v1/agents/${agent.id}`).set(a.auth(a.main.key))).body).toMatchObject({ locked: false, lockedUntil: null });
    expect((await loginAs(b, agent.email, 'wrong password', address)).status).toBe(401);
    await elapse(a, 60);

    const right = await loginAs(a, agent.email, PASSWORD, address);
    await elapse(a, 60);
    const wrong = await loginAs(b, agent.email, 'wrong password', address);
    expect(right.status).toBe(401);
    expect(right.body).toEqual(wrong.body);
    expect((await b.http.get(`/v1/agents/${agent.id}`).set(b.auth(b.main.key))).body).toMatchObject({ locked: true, lockedUntil: null });

    // With LOGIN_LOCK_SECONDS=0 the lock does not expire.
    await elapse(a, 365 * 86400);
    expect((await loginAs(a, agent.email, PASSWORD, address)).status).toBe(401);

    const unlocked = await b.http.post(`/v1/agents/${agent.id}/unlock`).set(b.auth(b.main.key));
    expect(unlocked.status).toBe(200);
    expect(unlocked.body).toMatchObject({ id: agent.id, locked: false, lockedUntil: null });
    // Unlocking clears the account's delays as well, so the agent gets in at once.
    expect((await loginAs(a, agent.email, PASSWORD, address)).status).toBe(200);
  });

  it('unlocks through GraphQL too, shows the lock there, and only for admins', async () => {
    const agent = await newAgent(a);
    await failUntilLocked(agent, newAddress());
    const shown = await a.http.post('/graphql').set(a.auth(a.main.key)).send({ query: `{ agent(id: "${agent.id}") { locked lockedUntil active } }` });
    expect(shown.body.data.agent).toEqual({ locked: true, lockedUntil: null, active: true });

    const agentKey = (await a.http.post('/v1/api-keys').set(a.auth(a.main.key)).send({ name: 'agent', role: 'agent' })).body.key;
    expect((await a.http.post(`/v1/agents/${agent.id}/unlock`).set(a.auth(agentKey))).status).toBe(403);
    const denied = await b.http.post('/graphql').set(b.auth(agentKey)).send({ query: `mutation { unlockAgent(id: "${agent.id}") { locked } }` });
    expect(denied.body.errors[0].extensions.code).toBe('FORBIDDEN');

    const unlocked = await b.http.post('/graphql').set(b.auth(b.main.key)).send({ query: `mutation { unlockAgent(id: "${agent.id}") { locked lockedUntil } }` });
    expect(unlocked.body.data.unlockAgent).toEqual({ locked: false, lockedUntil: null });
    expect((await loginAs(a, agent.email, PASSWORD, newAddress())).status).toBe(200);
  });

  it('keeps the sessions a locked agent already had', async () => {
    const agent = await newAgent(a);
    const session = (await loginAs(a, agent.email, PASSWORD, newAddress())).body;
    await failUntilLocked(agent, newAddress());
    expect((await b.http.get('/v1/agents').set(b.auth(session.accessToken))).status).toBe(200);
  });

  it('answers 404 for unlocking an unknown agent', async () => {
    expect((await a.http.post('/v1/agents/00000000-0000-4000-8000-000000000000/unlock').set(a.auth(a.main.key))).status).toBe(404);
  });
});

describe('a lock that expires (LOGIN_LOCK_SECONDS=60)', () => {
  let a: TestApp;
  beforeAll(async () => {
    a = await startTestApp({ ...BEHIND_A_PROXY, LOGIN_MAX_FAILURES_BEFORE_DELAY: '2', LOGIN_LOCK_AFTER_FAILURES: '3', LOGIN_LOCK_SECONDS: '60' });
  });
  afterAll(() => a?.close());

  it('shows when the lock ends and lets the right password in after it', async () => {
    const agent = await newAgent(a);
    const address = newAddress();
    for (let i = 1; i <= 3; i++) {
      expect((await loginAs(a, agent.email, 'wrong password', address)).status).toBe(401);
      await elapse(a, 5);
    }
    const view = (await a.http.get(`/v1/agents/${agent.id}`).set(a.auth(a.main.key))).body;
    expect(view.locked).toBe(true);
    const remaining = new Date(view.lockedUntil).getTime() - Date.now();
    expect(remaining).toBeGreaterThan(50_000);
    expect(remaining).toBeLessThanOrEqual(61_000);

    // The lock began before the last elapse(5): 50 s more leaves about 5 s of it.
    await elapse(a, 50);
    expect((await loginAs(a, agent.email, PASSWORD, address)).status).toBe(401);
    await elapse(a, 900);
    expect((await loginAs(a, agent.email, PASSWORD, address)).status).toBe(200);
    expect((await a.http.get(`/v1/agents/${agent.id}`).set(a.auth(a.main.key))).body).toMatchObject({ locked: false, lockedUntil: null });
  });
});

describe('login throttle configuration', () => {
  const load = (env: Record<string, string>) => loadConfig({ JWT_SECRET: 'x'.repeat(32), WEBHOOK_ENCRYPTION_KEY: Buffer.alloc(32).toString('base64'), ...env });

  it('has the documented defaults', () => {
    expect(load({}).sessions.login).toEqual({ maxFailuresBeforeDelay: 5, ipMaxFailuresBeforeDelay: 20, lockAfterFailures: 20, failureWindowSeconds: 900, lockSeconds: 3600 });
  });

  it.each([
    ['LOGIN_MAX_FAILURES_BEFORE_DELAY', '0', '1', '1000', '1001'],
    ['LOGIN_IP_MAX_FAILURES_BEFORE_DELAY', '0', '1', '100000', '100001'],
    ['LOGIN_FAILURE_WINDOW_SECONDS', '0', '1', '604800', '604801'],
    ['LOGIN_LOCK_AFTER_FAILURES', '-1', '0', '10000', '10001'],
    ['LOGIN_LOCK_SECONDS', 'soon', '0', '31536000', '31536001'],
  ])('%s accepts %s..%s and refuses just outside, naming the variable', (variable, below, min, max, above) => {
    for (const ok of [min, max]) expect(() => load({ [variable]: ok })).not.toThrow();
    for (const bad of [below, above, '1.5']) {
      expect(() => load({ [variable]: bad })).toThrow(ConfigError);
      expect(() => load({ [variable]: bad })).toThrow(variable);
    }
  });
});
