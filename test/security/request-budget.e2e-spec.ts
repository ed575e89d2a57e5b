import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { loadConfig } from '../../src/config/app-config';
import { eventually } from '../support/eventually';
import { startTestApp, TestApp } from '../support/test-app';

interface PoolCounts {
  totalCount: number;
  idleCount: number;
  waitingCount: number;
}

/** The app's own pg pool: every connection it opened is back and idle, and nobody waits for one. */
function pool(t: TestApp): PoolCounts {
  return (t.app.get(DataSource).driver as unknown as { master: PoolCounts }).master;
}

const settled = (t: TestApp) => {
  const { totalCount, idleCount, waitingCount } = pool(t);
  return totalCount === idleCount && waitingCount === 0;
};

/** Background workers borrow connections for a moment now and then, so a whole pool is awaited briefly, not sampled. */
const poolComesBackWhole = (t: TestApp) => eventually(() => settled(t), 'every connection of the pool to be back and idle', 2_000);

/** Holds a row lock on the ticket from outside the app, so any write to it waits as long as the test likes. */
async function lockTicket(t: TestApp, ticketId: string): Promise<{ release(): Promise<void> }> {
  const client = new Client({ connectionString: t.databaseUrl });
  await client.connect();
  await client.query('BEGIN');
  await client.query('SELECT id FROM tickets WHERE id = $1 FOR UPDATE', [ticketId]);
  return {
    async release() {
      await client.query('ROLLBACK');
      await client.end();
    },
  };
}

async function createTicket(t: TestApp, subject: string): Promise<string> {
  const response = await t.http.post('/v1/tickets').set(t.auth(t.main.key)).send({ subject, message: { body: 'hello' }, requester: { email: 'budget@example.com' } });
  expect(response.status).toBe(201);
  return response.body.id;
}

/** Sessions of the app in PostgreSQL, by state: a leaked connection would linger here as idle in transaction or active. */
async function appSessions(t: TestApp): Promise<Record<string, number>> {
  const rows: Array<{ state: string; n: number }> = await t.app
    .get(DataSource)
    .query(`SELECT state, count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'deskline' AND pid <> pg_backend_pid() GROUP BY state`);
  return Object.fromEntries(rows.map((row) => [row.state, row.n]));
}

describe('security: every request has a time budget', () => {
  describe('a statement past DATABASE_STATEMENT_TIMEOUT_MS', () => {
    let t: TestApp;
    beforeAll(async () => {
      // Background workers off: their own short transactions would show as 'idle in transaction' in the session count
      // below, which is about what a cancelled request leaves behind.
      t = await startTestApp({
        DATABASE_STATEMENT_TIMEOUT_MS: '1000', WEBHOOK_DISPATCHER_ENABLED: 'false', SLA_SCHEDULER_ENABLED: 'false', MAIL_WORKER_ENABLED: 'false', TIME_RULES_SCHEDULER_ENABLED: 'false',
      });
    });
    afterAll(() => t.close());

    it('applies the timeouts to every connection of the app pool', async () => {
      const [{ statement_timeout }] = await t.app.get(DataSource).query('SHOW statement_timeout');
      const [{ idle_in_transaction_session_timeout }] = await t.app.get(DataSource).query('SHOW idle_in_transaction_session_timeout');
      expect(statement_timeout).toBe('1s');
      expect(idle_in_transaction_session_timeout).toBe('30s');
    });

    it('is cancelled and answered 503 problem+json (REST), then the pool is whole and the next requests succeed', async () => {
      const ticketId = await createTicket(t, 'before');
      const lock = await lockTicket(t, ticketId);
      const started = Date.now();
      try {
        const response = await t.http.patch(`/v1/tickets/${ticketId}`).set(t.auth(t.main.key)).send({ subject: 'while locked' });
        const elapsed = Date.now() - started;
        expect(response.status).toBe(503);
        expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
        expect(response.body).toMatchObject({ status: 503, type: 'https://deskline.dev/problems/statement-timeout', title: 'Service Unavailable' });
        expect(response.body.detail).toContain('DATABASE_STATEMENT_TIMEOUT_MS');
        expect(elapsed).toBeGreaterThanOrEqual(950);
        expect(elapsed).toBeLessThan(10_000);
      } finally {
        await lock.release();
      }
      await poolComesBackWhole(t);
      await t.http.patch(`/v1/tickets/${ticketId}`).set(t.auth(t.main.key)).send({ subject: 'after' }).expect(200);
      const reads = await Promise.all(Array.from({ length: 25 }, () => t.http.get(`/v1/tickets/${ticketId}`).set(t.auth(t.main.key))));
      expect(reads.map((read) => read.status)).toEqual(Array(25).fill(200));
      await poolComesBackWhole(t);
      expect(pool(t).totalCount).toBeLessThanOrEqual(10);
      const sessions = await appSessions(t);
      expect(sessions['idle in transaction'] ?? 0).toBe(0);
      expect(sessions['idle in transaction (aborted)'] ?? 0).toBe(0);
    });

    it('answers the same code in GraphQL', async () => {
      const ticketId = await createTicket(t, 'graphql before');
      const lock = await lockTicket(t, ticketId);
      try {
        const response = await t.http
          .post('/graphql')
          .set(t.auth(t.main.key))
          .send({ query: 'mutation($id: ID!) { updateTicket(id: $id, input: { subject: "while locked" }) { id } }', variables: { id: ticketId } });
        expect(response.body.errors[0].extensions).toMatchObject({ code: 'STATEMENT_TIMEOUT', status: 503 });
      } finally {
        await lock.release();
      }
      const ticket = await t.http.get(`/v1/tickets/${ticketId}`).set(t.auth(t.main.key)).expect(200);
      expect(ticket.body.subject).toBe('graphql before');
      await poolComesBackWhole(t);
    });
  });

  describe('a request past REQUEST_TIMEOUT_MS', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp({ REQUEST_TIMEOUT_MS: '1000', DATABASE_STATEMENT_TIMEOUT_MS: '20000' });
    });
    afterAll(() => t.close());

    it('is answered 503 problem+json at the budget, and its statement is cancelled at once, giving the connection back', async () => {
      const ticketId = await createTicket(t, 'unchanged');
      const lock = await lockTicket(t, ticketId);
      try {
        const started = Date.now();
        const response = await t.http.patch(`/v1/tickets/${ticketId}`).set(t.auth(t.main.key)).send({ subject: 'too slow' });
        const elapsed = Date.now() - started;
        expect(response.status).toBe(503);
        expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
        expect(response.body).toMatchObject({ status: 503, type: 'https://deskline.dev/problems/request-timeout', budgetMs: 1000 });
        expect(response.body.detail).toContain('REQUEST_TIMEOUT_MS');
        expect(elapsed).toBeGreaterThanOrEqual(950);
        expect(elapsed).toBeLessThan(4_000);
        // The lock is still held and the statement timeout is far off: only the cancellation can hand the connection back.
        await eventually(() => settled(t), 'the timed-out request to give its connection back', 3_000);
        expect(Date.now() - started).toBeLessThan(6_000);
      } finally {
        await lock.release();
      }
      const ticket = await t.http.get(`/v1/tickets/${ticketId}`).set(t.auth(t.main.key)).expect(200);
      expect(ticket.body.subject).toBe('unchanged');
      const lists = await Promise.all(Array.from({ length: 20 }, () => t.http.get('/v1/tickets').set(t.auth(t.main.key))));
      expect(lists.map((list) => list.status)).toEqual(Array(20).fill(200));
      await poolComesBackWhole(t);
      expect((await appSessions(t))['idle in transaction'] ?? 0).toBe(0);
    });
  });

  it('reads its budgets from the environment, refusing bad values by name', () => {
    const dataDir = process.env.DESKLINE_TEST_DATA_DIR;
    expect(loadConfig({ DATA_DIR: dataDir }).http).toMatchObject({ requestTimeoutMs: 30_000, statementTimeoutMs: 15_000, idleInTransactionTimeoutMs: 30_000 });
    expect(() => loadConfig({ DATA_DIR: dataDir, REQUEST_TIMEOUT_MS: '0' })).toThrow(/REQUEST_TIMEOUT_MS/);
    expect(() => loadConfig({ DATA_DIR: dataDir, REQUEST_TIMEOUT_MS: '30s' })).toThrow(/REQUEST_TIMEOUT_MS/);
    expect(() => loadConfig({ DATA_DIR: dataDir, DATABASE_STATEMENT_TIMEOUT_MS: '0' })).toThrow(/DATABASE_STATEMENT_TIMEOUT_MS/);
    expect(() => loadConfig({ DATA_DIR: dataDir, DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS: '10' })).toThrow(/DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS/);
  });
});
