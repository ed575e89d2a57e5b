import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import Redis from 'ioredis';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { eventually } from '../support/eventually';
import { skipBecause } from '../support/skip-because';
import { startTestApp, TestApp } from '../support/test-app';

// Issue 12, finding 3: 1,683 list requests in 10 s and 500 parallel GraphQL requests from one key were all accepted.

const REDIS_URL = process.env.REDIS_URL || 'redis://127.0.0.1:6379';

/** Whether a Redis answers PING at REDIS_URL; synchronous so that the suite can be declared skipped up front. */
function redisAnswers(url: string): boolean {
  const { hostname, port } = new URL(url);
  const probe = `
    const socket = require('node:net').connect(${Number(port) || 6379}, ${JSON.stringify(hostname)});
    socket.setTimeout(1000, () => process.exit(1));
    socket.on('error', () => process.exit(1));
    socket.on('connect', () => socket.write('PING\\r\\n'));
    socket.on('data', (data) => process.exit(String(data).startsWith('+PONG') ? 0 : 1));`;
  return spawnSync(process.execPath, ['-e', probe], { timeout: 3000 }).status === 0;
}
const redisReachable = redisAnswers(REDIS_URL);
const describeWithRedis = skipBecause(redisReachable ? null : `no Redis answers at ${REDIS_URL} (.ci/run installs and starts redis-server)`);

function limits(env: Record<string, string>): Record<string, string> {
  return { RATE_LIMIT_ENABLED: 'true', RATE_LIMIT_PER_MINUTE: '1000', RATE_LIMIT_PER_IP_PER_MINUTE: '1000', RATE_LIMIT_WINDOW_SECONDS: '3600', ...env };
}

/**
 * PostgreSQL windows are fixed and aligned to the clock: when the current one ends within `margin` seconds, wait for
 * the next, so that a run of requests cannot straddle two windows and see its count restart.
 */
async function awayFromWindowEnd(windowSeconds: number, margin: number): Promise<void> {
  const left = windowSeconds * 1000 - (Date.now() % (windowSeconds * 1000));
  if (left < margin * 1000) await sleep(left + 100);
}

function expectProblem429(response: request.Response, policy: string): number {
  expect(response.status).toBe(429);
  expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(response.body).toMatchObject({ status: 429, title: 'Too Many Requests', policy });
  expect(response.headers['retry-after']).toMatch(/^\d+$/);
  return Number(response.headers['retry-after']);
}

const TICKETS_QUERY = { query: '{ tickets(first: 1) { edges { node { id } } } }' };

describe('rate limits per credential (PostgreSQL store)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(limits({ RATE_LIMIT_PER_MINUTE: '5' }));
  });
  afterAll(() => t.close());
  beforeEach(() => awayFromWindowEnd(3600, 30));

  it('allows exactly the quota, announces it on every answer, then refuses with 429 problem+json and Retry-After', async () => {
    const other = await t.newWorkspace();
    for (let n = 1; n <= 5; n++) {
      const response = await t.http.get('/v1/tickets').set(t.auth(other.key));
      expect(response.status).toBe(200);
      expect(response.headers['ratelimit-policy']).toBe('"per-credential";q=5;w=3600, "per-ip";q=1000;w=3600');
      expect(response.headers['ratelimit']).toMatch(new RegExp(`^"per-credential";r=${5 - n};t=\\d+, "per-ip";r=\\d+;t=\\d+$`));
    }
    const refused = await t.http.get('/v1/tickets').set(t.auth(other.key));
    const retryAfter = expectProblem429(refused, 'per-credential');
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(3600);
    expect(refused.body).toMatchObject({ limit: 5, windowSeconds: 3600, retryAfterSeconds: retryAfter });
    expect(refused.headers['ratelimit']).toMatch(/^"per-credential";r=0;t=\d+, /);
    // Another workspace's key, from the same address, is not held back by this one's exhausted quota.
    expect((await t.http.get('/v1/tickets').set(t.auth(t.main.key))).status).toBe(200);
  });

  it('counts GraphQL requests one each, and refuses the one over the quota with 429 problem+json', async () => {
    const other = await t.newWorkspace();
    for (let n = 1; n <= 5; n++) {
      const response = await t.http.post('/graphql').set(t.auth(other.key)).send(TICKETS_QUERY);
      expect(response.status).toBe(200);
      expect(response.body.errors).toBeUndefined();
      expect(response.headers['ratelimit']).toMatch(new RegExp(`^"per-credential";r=${5 - n};`));
    }
    expectProblem429(await t.http.post('/graphql').set(t.auth(other.key)).send(TICKETS_QUERY), 'per-credential');
    expectProblem429(await t.http.get('/v1/tickets').set(t.auth(other.key)), 'per-credential');
  });

  it('counts a credential that does not authenticate, without looking it up', async () => {
    const forged = `dsk_${randomBytes(32).toString('base64url')}`;
    for (let n = 1; n <= 5; n++) {
      const response = await t.http.get('/v1/tickets').set(t.auth(forged));
      expect(response.status).toBe(401);
      expect(response.headers['ratelimit']).toMatch(new RegExp(`^"per-credential";r=${5 - n};`));
    }
    expectProblem429(await t.http.get('/v1/tickets').set(t.auth(forged)), 'per-credential');
  });
});

describe('rate limits per client address', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(limits({ RATE_LIMIT_PER_IP_PER_MINUTE: '4' }));
  });
  afterAll(() => t.close());

  it('limits unauthenticated requests per address, ignores a forged X-Forwarded-For, and leaves the health probes alone', async () => {
    await awayFromWindowEnd(3600, 30);
    for (let n = 1; n <= 4; n++) {
      // Without TRUST_PROXY nobody may name the client's address: a caller changing this header is still one address.
      const response = await t.http.get('/openapi.json').set('X-Forwarded-For', `203.0.113.${n}`);
      expect(response.status).toBe(200);
      expect(response.headers['ratelimit-policy']).toBe('"per-ip";q=4;w=3600');
      expect(response.headers['ratelimit']).toMatch(new RegExp(`^"per-ip";r=${4 - n};t=\\d+$`));
    }
    expectProblem429(await t.http.get('/openapi.json').set('X-Forwarded-For', '203.0.113.99'), 'per-ip');
    // A credential does not lift the address's limit: every request from it counts.
    expectProblem429(await t.http.get('/v1/tickets').set(t.auth(t.main.key)), 'per-ip');
    for (const probe of ['/health', '/health/ready']) {
      const response = await t.http.get(probe);
      expect(response.status).toBe(200);
      expect(response.headers['ratelimit']).toBeUndefined();
    }
  });

  it('takes the client address from X-Forwarded-For only when the peer is a trusted proxy (TRUST_PROXY)', async () => {
    const behindProxy = await startTestApp(limits({ RATE_LIMIT_PER_IP_PER_MINUTE: '2', TRUST_PROXY: '127.0.0.1/32' }));
    try {
      await awayFromWindowEnd(3600, 30);
      const from = (address: string) => behindProxy.http.get('/openapi.json').set('X-Forwarded-For', address);
      expect((await from('198.51.100.7')).status).toBe(200);
      expect((await from('198.51.100.7')).status).toBe(200);
      expectProblem429(await from('198.51.100.7'), 'per-ip');
      expect((await from('198.51.100.8')).status).toBe(200);
    } finally {
      await behindProxy.close();
    }
  });

  it('opens the quota again once the window has passed, as Retry-After said', async () => {
    const short = await startTestApp(limits({ RATE_LIMIT_PER_MINUTE: '2', RATE_LIMIT_WINDOW_SECONDS: '3' }));
    try {
      await awayFromWindowEnd(3, 2);
      expect((await short.http.get('/v1/tickets').set(short.auth(short.main.key))).status).toBe(200);
      expect((await short.http.get('/v1/tickets').set(short.auth(short.main.key))).status).toBe(200);
      const retryAfter = expectProblem429(await short.http.get('/v1/tickets').set(short.auth(short.main.key)), 'per-credential');
      expect(retryAfter).toBeLessThanOrEqual(3);
      const database = short.app.get(DataSource);
      const [{ ended }] = await database.query(`SELECT max(window_start) AS ended FROM rate_limit_counters`);
      await sleep(retryAfter * 1000);
      expect((await short.http.get('/v1/tickets').set(short.auth(short.main.key))).status).toBe(200);
      // The ended window's counters do not stay behind.
      await eventually(async () => Number((await database.query(`SELECT count(*) AS n FROM rate_limit_counters WHERE window_start <= $1`, [ended]))[0].n) === 0, 'the sweep of ended windows', 10_000);
    } finally {
      await short.close();
    }
  });

  it('counts nothing and announces nothing when RATE_LIMIT_ENABLED=false', async () => {
    const unlimited = await startTestApp(limits({ RATE_LIMIT_ENABLED: 'false', RATE_LIMIT_PER_MINUTE: '1', RATE_LIMIT_PER_IP_PER_MINUTE: '1' }));
    try {
      for (let n = 0; n < 3; n++) {
        const response = await unlimited.http.get('/v1/tickets').set(unlimited.auth(unlimited.main.key));
        expect(response.status).toBe(200);
        expect(response.headers['ratelimit']).toBeUndefined();
      }
    } finally {
      await unlimited.close();
    }
  });
});

/** Two instances on one store: a credential's quota is one, wherever its requests land and however many arrive at once. */
async function expectSharedQuota(env: Record<string, string>, countersIn: (app: TestApp) => Promise<number>): Promise<void> {
  const first = await startTestApp(limits({ RATE_LIMIT_PER_MINUTE: '6', ...env }));
  const second = await startTestApp(limits({ RATE_LIMIT_PER_MINUTE: '6', ...env }), { sameDatabaseAs: first });
  try {
    await awayFromWindowEnd(3600, 30);
    // A key of its own, made through the first instance, so that both instances start from an untouched bucket.
    const key = (await first.newWorkspace()).key;
    const instances = [first, second];
    for (let n = 0; n < 6; n++) {
      const response = await instances[n % 2].http.get('/v1/tickets').set(first.auth(key));
      expect(response.status).toBe(200);
      expect(response.headers['ratelimit']).toMatch(new RegExp(`^"per-credential";r=${5 - n};`));
    }
    expectProblem429(await first.http.get('/v1/tickets').set(first.auth(key)), 'per-credential');
    expectProblem429(await second.http.post('/graphql').set(first.auth(key)).send(TICKETS_QUERY), 'per-credential');
    // The finding's 500 parallel GraphQL requests, scaled down: of 30 at once over both instances, exactly the quota passes.
    const parallelKey = (await first.newWorkspace()).key;
    const statuses = await Promise.all(
      Array.from({ length: 30 }, (_, n) => instances[n % 2].http.post('/graphql').set(first.auth(parallelKey)).send(TICKETS_QUERY).then((response) => response.status)),
    );
    expect(statuses.filter((status) => status === 200)).toHaveLength(6);
    expect(statuses.filter((status) => status === 429)).toHaveLength(24);
    expect(await countersIn(first)).toBeGreaterThan(0);
  } finally {
    await second.close();
    await first.close();
  }
}

describe('rate limits across two instances', () => {
  it('share one quota through PostgreSQL', async () => {
    await expectSharedQuota({}, async (app) => Number((await app.app.get(DataSource).query(`SELECT count(*) AS n FROM rate_limit_counters`))[0].n));
  });
});

describeWithRedis('rate limits across two instances with Redis', () => {
  it('share one quota through Redis', async () => {
    // A prefix of its own: the server may be shared with other runs, whose counters for 127.0.0.1 must not count here.
    const prefix = `deskline-test-${randomBytes(6).toString('hex')}:`;
    const redis = new Redis(REDIS_URL);
    try {
      await expectSharedQuota({ REDIS_URL, RATE_LIMIT_REDIS_PREFIX: prefix }, async (app) => {
        // The counters are in Redis, not in the database the instances share.
        expect((await app.app.get(DataSource).query(`SELECT count(*) AS n FROM rate_limit_counters`))[0].n).toBe('0');
        return (await redis.keys(`${prefix}*`)).length;
      });
    } finally {
      await redis.quit();
    }
  });
});
