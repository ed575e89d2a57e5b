import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { loadConfig } from '../src/config/app-config';
import { startTestApp, TestApp } from './support/test-app';

describe('platform: errors, limits, idempotency, request ids, health', () => {
  let t: TestApp;
  let admin: { Authorization: string };
  const ticketBody = (subject: string) => ({ subject, message: { body: 'hello' }, requester: { email: 'idem@example.com' } });

  beforeAll(async () => {
    t = await startTestApp();
    admin = t.auth(t.main.key);
  });
  afterAll(() => t.close());

  describe('health', () => {
    it('answers liveness and readiness without credentials', async () => {
      expect((await t.http.get('/health')).body).toEqual({ status: 'ok' });
      expect((await t.http.get('/health/ready')).body).toEqual({ status: 'ok', parts: { database: { status: 'ok' }, migrations: { status: 'ok' }, webhooks: { status: 'ok' } } });
    });
  });

  describe('request ids', () => {
    it('echoes a client request id and generates one otherwise', async () => {
      const echoed = await t.http.get('/health').set('X-Request-Id', 'client-req-123');
      expect(echoed.headers['x-request-id']).toBe('client-req-123');
      const generated = await t.http.get('/health');
      expect(generated.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
      const unsafe = await t.http.get('/health').set('X-Request-Id', 'bad id with spaces');
      expect(unsafe.headers['x-request-id']).not.toBe('bad id with spaces');
    });
  });

  describe('bad input never produces a 500', () => {
    it('answers malformed JSON with a 400 problem', async () => {
      const response = await t.http.post('/v1/tickets').set(admin).set('Content-Type', 'application/json').send('{"subject": ');
      expect(response.status).toBe(400);
      expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(response.body).toMatchObject({ status: 400, title: 'Bad Request', type: expect.any(String), detail: expect.any(String) });
    });

    it('answers bodies over 1 MiB with 413', async () => {
      const response = await t.http.post('/v1/tickets').set(admin).send({ ...ticketBody('big'), message: { body: 'x'.repeat(1024 * 1024 + 10) } });
      expect(response.status).toBe(413);
      expect(response.headers['content-type']).toMatch(/problem\+json/);
    });

    it('rejects unknown fields, naming them', async () => {
      const response = await t.http.post('/v1/contacts').set(admin).send({ email: 'a@example.com', role: 'admin' });
      expect(response.status).toBe(422);
      expect(response.body.errors).toEqual([{ field: 'role', message: 'role is not a known field' }]);
    });

    it('bounds string lengths and array sizes', async () => {
      const longSubject = await t.http.post('/v1/tickets').set(admin).send(ticketBody('s'.repeat(501)));
      expect(longSubject.status).toBe(422);
      expect(longSubject.body.errors[0].field).toBe('subject');
      const manyTags = await t.http.post('/v1/tickets').set(admin).send({ ...ticketBody('tags'), tags: Array.from({ length: 51 }, (_, i) => `t${i}`) });
      expect(manyTags.status).toBe(422);
      expect(manyTags.body.errors[0].field).toBe('tags');
    });

    it('answers malformed ids, unknown routes and wrong types with 4xx problems', async () => {
      const badId = await t.http.get('/v1/tickets/not-a-uuid').set(admin);
      expect(badId.status).toBe(422);
      expect(badId.body.errors[0].field).toBe('id');
      expect((await t.http.get('/v1/nothing-here').set(admin)).status).toBe(404);
      const wrongType = await t.http.post('/v1/tickets').set(admin).send({ ...ticketBody('x'), tags: 'not-an-array' });
      expect(wrongType.status).toBe(422);
      const array = await t.http.post('/v1/tickets').set(admin).send([1, 2]);
      expect(array.status).toBeGreaterThanOrEqual(400);
      expect(array.status).toBeLessThan(500);
    });
  });

  describe('Idempotency-Key', () => {
    it('replays the first response without repeating the effect', async () => {
      const first = await t.http.post('/v1/tickets').set(admin).set('Idempotency-Key', 'create-1').send(ticketBody('once'));
      const second = await t.http.post('/v1/tickets').set(admin).set('Idempotency-Key', 'create-1').send(ticketBody('once'));
      expect(first.status).toBe(201);
      expect(second.status).toBe(201);
      expect(second.body).toEqual(first.body);
      expect(second.headers['idempotent-replayed']).toBe('true');
      const [{ n }] = await t.app.get(DataSource).query(`SELECT count(*)::int AS n FROM tickets WHERE subject = 'once'`);
      expect(n).toBe(1);
    });

    it('answers 422 for the same key with another body', async () => {
      await t.http.post('/v1/tickets').set(admin).set('Idempotency-Key', 'create-2').send(ticketBody('first body')).expect(201);
      const other = await t.http.post('/v1/tickets').set(admin).set('Idempotency-Key', 'create-2').send(ticketBody('second body'));
      expect(other.status).toBe(422);
      expect(other.body.errors[0].field).toBe('Idempotency-Key');
    });

    it('answers 409 to a duplicate that arrives while the first is in progress, and applies the effect once', async () => {
      const responses = await Promise.all(
        Array.from({ length: 6 }, () => t.http.post('/v1/tickets').set(admin).set('Idempotency-Key', 'create-3').send(ticketBody('concurrent'))),
      );
      const statuses = responses.map((r) => r.status);
      expect(statuses.every((s) => s === 201 || s === 409)).toBe(true);
      expect(statuses).toContain(201);
      const [{ n }] = await t.app.get(DataSource).query(`SELECT count(*)::int AS n FROM tickets WHERE subject = 'concurrent'`);
      expect(n).toBe(1);
      const created = responses.filter((r) => r.status === 201).map((r) => r.body.id);
      expect(new Set(created).size).toBe(1);
    });

    it('scopes keys to the caller: another workspace may reuse the same key', async () => {
      const other = await t.newWorkspace();
      await t.http.post('/v1/tickets').set(admin).set('Idempotency-Key', 'shared-key').send(ticketBody('mine')).expect(201);
      const theirs = await t.http.post('/v1/tickets').set(t.auth(other.key)).set('Idempotency-Key', 'shared-key').send(ticketBody('theirs'));
      expect(theirs.status).toBe(201);
      expect(theirs.body.subject).toBe('theirs');
    });

    it('does not record failed requests, so a corrected retry with a new body is not blocked', async () => {
      const failed = await t.http.post('/v1/tickets').set(admin).set('Idempotency-Key', 'create-4').send({ subject: '' });
      expect(failed.status).toBe(422);
      const [{ n }] = await t.app.get(DataSource).query(`SELECT count(*)::int AS n FROM idempotency_keys WHERE key = 'create-4'`);
      expect(n).toBe(0);
    });
  });

  describe('configuration', () => {
    it('refuses bad values naming the variable', () => {
      expect(() => loadConfig({ PORT: 'eighty', DATA_DIR: process.env.DESKLINE_TEST_DATA_DIR })).toThrow(/PORT/);
      expect(() => loadConfig({ DATABASE_URL: 'mysql://x', DATA_DIR: process.env.DESKLINE_TEST_DATA_DIR })).toThrow(/DATABASE_URL/);
      expect(() => loadConfig({ LOG_LEVEL: 'loud', DATA_DIR: process.env.DESKLINE_TEST_DATA_DIR })).toThrow(/LOG_LEVEL/);
      expect(() => loadConfig({ JWT_SECRET: 'short', DATA_DIR: process.env.DESKLINE_TEST_DATA_DIR })).toThrow(/JWT_SECRET/);
      expect(() => loadConfig({ BOOTSTRAP_API_KEY: 'tiny', DATA_DIR: process.env.DESKLINE_TEST_DATA_DIR })).toThrow(/BOOTSTRAP_API_KEY/);
      expect(loadConfig({ DATA_DIR: process.env.DESKLINE_TEST_DATA_DIR }).port).toBe(3000);
    });

    it('starts the server with the same heap settings from npm start, npm run start:prod and the Docker image', () => {
      const root = join(__dirname, '..');
      const scripts = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).scripts;
      const heapFlags = (command: string) => command.split(/\s+/).filter((part) => part.startsWith('--max-old-space-size='));
      const dockerServerCommand = /exec (node [^"]*dist\/src\/main\.js)/.exec(readFileSync(join(root, 'Dockerfile'), 'utf8'))?.[1] ?? '';
      expect(heapFlags(scripts.start)).toHaveLength(1);
      expect(heapFlags(scripts['start:prod'])).toEqual(heapFlags(scripts.start));
      expect(heapFlags(dockerServerCommand)).toEqual(heapFlags(scripts.start));
    });
  });
});
