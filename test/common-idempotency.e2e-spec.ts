import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { eventually } from './support/eventually';
import { startTestApp, TestApp } from './support/test-app';

// Idempotency-Key (src/common/idempotency) on the real database: what test/platform.e2e-spec.ts does not pin down.
describe('Idempotency-Key on POST', () => {
  let t: TestApp;
  let admin: { Authorization: string };
  const ticketBody = (subject: string) => ({ subject, message: { body: 'hello' }, requester: { email: 'idem@example.com', name: 'Idem' } });
  const countTickets = async (subject: string) => {
    const [{ n }] = await t.app.get(DataSource).query('SELECT count(*)::int AS n FROM tickets WHERE subject = $1', [subject]);
    return n as number;
  };

  beforeAll(async () => {
    t = await startTestApp();
    admin = t.auth(t.main.key);
  });
  afterAll(() => t?.close());

  describe('the key', () => {
    it('is 1 to 255 characters: longer or empty is a 422 naming the header, and nothing is done', async () => {
      for (const key of ['k'.repeat(256), '']) {
        const refused = await t.http.post('/v1/tickets').set(admin).set('Idempotency-Key', key).send(ticketBody('bad key'));
        expect(refused.status).toBe(422);
        expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
        expect(refused.body.errors).toEqual([{ field: 'Idempotency-Key', message: expect.stringContaining('1 to 255 characters') }]);
      }
      expect(await countTickets('bad key')).toBe(0);
      expect((await t.http.post('/v1/tickets').set(admin).set('Idempotency-Key', 'k'.repeat(255)).send(ticketBody('longest key'))).status).toBe(201);
    });

    it('is only read on POST', async () => {
      expect((await t.http.get('/v1/tickets').set(admin).set('Idempotency-Key', 'k'.repeat(300))).status).toBe(200);
    });
  });

  describe('a retry', () => {
    it('with the same request replays the recorded response, even with its JSON members in another order', async () => {
      const first = await t.http.post('/v1/tickets').set(admin).set('Idempotency-Key', 'replay-1').send(ticketBody('replayed'));
      expect(first.status).toBe(201);
      expect(first.headers['idempotent-replayed']).toBeUndefined();
      const reordered = { requester: { name: 'Idem', email: 'idem@example.com' }, message: { body: 'hello' }, subject: 'replayed' };
      const retry = await t.http.post('/v1/tickets').set(admin).set('Idempotency-Key', 'replay-1').send(reordered);
      expect(retry.status).toBe(201);
      expect(retry.headers['idempotent-replayed']).toBe('true');
      expect(retry.body).toEqual(first.body);
      expect(await countTickets('replayed')).toBe(1);
    });

    it('with another body, or to another operation, is a 422 naming the header', async () => {
      await t.http.post('/v1/tickets').set(admin).set('Idempotency-Key', 'reused-1').send(ticketBody('first use')).expect(201);
      const otherBody = await t.http.post('/v1/tickets').set(admin).set('Idempotency-Key', 'reused-1').send(ticketBody('second use'));
      const otherPath = await t.http.post('/v1/contacts').set(admin).set('Idempotency-Key', 'reused-1').send({ name: 'Someone', email: 'someone@example.com' });
      for (const refused of [otherBody, otherPath]) {
        expect(refused.status).toBe(422);
        expect(refused.body).toMatchObject({ type: 'https://deskline.dev/problems/validation-failed', errors: [{ field: 'Idempotency-Key' }] });
      }
      expect(await countTickets('second use')).toBe(0);
    });

    it('from another credential of the same workspace is its own request', async () => {
      const agentKey = (await t.http.post('/v1/api-keys').set(admin).send({ name: 'idempotency agent', role: 'agent' })).body.key as string;
      const mine = await t.http.post('/v1/tickets').set(admin).set('Idempotency-Key', 'per-caller').send(ticketBody('per caller'));
      const theirs = await t.http.post('/v1/tickets').set(t.auth(agentKey)).set('Idempotency-Key', 'per-caller').send(ticketBody('per caller'));
      expect([mine.status, theirs.status]).toEqual([201, 201]);
      expect(theirs.headers['idempotent-replayed']).toBeUndefined();
      expect(theirs.body.id).not.toBe(mine.body.id);
    });

    it('after the record expired runs again, and is recorded again', async () => {
      const first = await t.http.post('/v1/tickets').set(admin).set('Idempotency-Key', 'expiring').send(ticketBody('expired key'));
      await t.app.get(DataSource).query(`UPDATE idempotency_keys SET expires_at = now() - interval '1 second' WHERE key = 'expiring'`);
      const again = await t.http.post('/v1/tickets').set(admin).set('Idempotency-Key', 'expiring').send(ticketBody('expired key'));
      expect(again.status).toBe(201);
      expect(again.headers['idempotent-replayed']).toBeUndefined();
      expect(again.body.id).not.toBe(first.body.id);
      const third = await t.http.post('/v1/tickets').set(admin).set('Idempotency-Key', 'expiring').send(ticketBody('expired key'));
      expect(third.headers['idempotent-replayed']).toBe('true');
      expect(third.body.id).toBe(again.body.id);
      expect(await countTickets('expired key')).toBe(2);
    });
  });

  it('answers 409 idempotency_in_progress while the first request is still running, which then completes once and is replayed', async () => {
    // Holding a lock on tickets keeps the first request inside its transaction (and so holding its key) for as long as we like.
    const blocker = new Client({ connectionString: t.databaseUrl });
    await blocker.connect();
    try {
      await blocker.query('BEGIN');
      await blocker.query('LOCK TABLE tickets IN SHARE MODE');
      const firstResponse = t.http.post('/v1/tickets').set(admin).set('Idempotency-Key', 'in-flight').send(ticketBody('in flight')).then((response) => response);
      await eventually(async () => {
        const { rows } = await blocker.query<{ waiting: number }>(`SELECT count(*)::int AS waiting FROM pg_locks WHERE relation = 'tickets'::regclass AND NOT granted`);
        return rows[0].waiting > 0;
      }, 'the first request to wait on the tickets table');

      const duplicate = await t.http.post('/v1/tickets').set(admin).set('Idempotency-Key', 'in-flight').send(ticketBody('in flight'));
      expect(duplicate.status).toBe(409);
      expect(duplicate.body).toMatchObject({ type: 'https://deskline.dev/problems/idempotency-in-progress', status: 409 });

      await blocker.query('ROLLBACK');
      const first = await firstResponse;
      expect(first.status).toBe(201);
      const retry = await t.http.post('/v1/tickets').set(admin).set('Idempotency-Key', 'in-flight').send(ticketBody('in flight'));
      expect(retry.headers['idempotent-replayed']).toBe('true');
      expect(retry.body.id).toBe(first.body.id);
      expect(await countTickets('in flight')).toBe(1);
    } finally {
      await blocker.end();
    }
  });

  it('records nothing for a request that failed, so the same key can carry the corrected request', async () => {
    const failed = await t.http.post('/v1/tickets').set(admin).set('Idempotency-Key', 'corrected').send({ ...ticketBody('corrected'), requester: { email: 'not an address' } });
    expect(failed.status).toBe(422);
    const corrected = await t.http.post('/v1/tickets').set(admin).set('Idempotency-Key', 'corrected').send(ticketBody('corrected'));
    expect(corrected.status).toBe(201);
    expect(corrected.headers['idempotent-replayed']).toBeUndefined();
  });
});
