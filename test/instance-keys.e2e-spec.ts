import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { spawnSync } from 'node:child_process';
import { ChannelSecrets } from '../src/channels/mail-secrets';
import { WebhookSecrets } from '../src/webhooks/webhook-secrets';
import { createTestDatabase, startTestApp, TestApp, TestDatabase } from './support/test-app';

/**
 * Instances on one database share JWT signing and sealing keys: from the environment, or (when DATABASE_URL is set and
 * the variables are not) from the database, never from a per-instance file. A key that disagrees with the fingerprint
 * recorded at first boot stops the instance naming the variable.
 */
describe('instance keys shared by every instance on one database', () => {
  const quiet = { WEBHOOK_DISPATCHER_ENABLED: 'false', SLA_SCHEDULER_ENABLED: 'false', MAIL_WORKER_ENABLED: 'false' };
  const dirs: string[] = [];
  const dataDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'deskline-keys-'));
    dirs.push(dir);
    return dir;
  };
  const sealingKey = () => randomBytes(32).toString('base64');
  afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  async function login(app: TestApp): Promise<{ email: string; password: string }> {
    const email = `agent-${randomBytes(3).toString('hex')}@example.com`;
    const password = 'a long enough password 1';
    await app.http.post('/v1/agents').set(app.auth(app.main.key)).send({ name: 'Agent', email, password, role: 'agent' }).expect(201);
    return { email, password };
  }

  describe('with DATABASE_URL and no keys in the environment', () => {
    let database: TestDatabase;
    let first: TestApp;
    let second: TestApp;
    let firstDir: string;
    let secondDir: string;

    beforeAll(async () => {
      database = await createTestDatabase();
      firstDir = dataDir();
      secondDir = dataDir();
      // Two instances, each with its own DATA_DIR, as on two machines.
      [first, second] = await Promise.all([
        startTestApp({ ...quiet, DATABASE_URL: database.url, DATA_DIR: firstDir }, { database }),
        startTestApp({ ...quiet, DATABASE_URL: database.url, DATA_DIR: secondDir }, { database }),
      ]);
    });
    afterAll(async () => {
      await first?.close();
      await second?.close();
      await database.drop();
    });

    it('writes no key file into either instance\'s DATA_DIR', () => {
      for (const dir of [firstDir, secondDir]) {
        expect(readdirSync(dir).filter((name) => /secret|key/.test(name))).toEqual([]);
        expect(existsSync(join(dir, 'jwt-secret'))).toBe(false);
      }
    });

    it('accepts on one instance the access token issued by the other', async () => {
      const { email, password } = await login(first);
      const issued = await first.http.post('/v1/auth/login').send({ workspace: first.main.slug, email, password }).expect(200);
      const me = await second.http.get('/v1/tickets').set({ Authorization: `Bearer ${issued.body.accessToken}` });
      expect(me.status).toBe(200);
    });

    it('opens on one instance a secret sealed by the other', () => {
      const sealed = first.app.get(WebhookSecrets).seal(first.main.id, '00000000-0000-4000-8000-000000000001', 'whsec_shared');
      expect(second.app.get(WebhookSecrets).open(first.main.id, '00000000-0000-4000-8000-000000000001', sealed)).toBe('whsec_shared');
    });

    it('keeps only fingerprints and the generated keys in instance_keys', async () => {
      const client = new Client({ connectionString: database.url });
      await client.connect();
      try {
        const { rows } = await client.query('SELECT name, fingerprint, secret IS NOT NULL AS stored FROM instance_keys ORDER BY name');
        expect(rows).toEqual([
          { name: 'jwt', fingerprint: expect.stringMatching(/^[0-9a-f]{32}$/), stored: true },
          { name: 'sealing', fingerprint: expect.stringMatching(/^[0-9a-f]{32}$/), stored: true },
        ]);
      } finally {
        await client.end();
      }
    });

    it('refuses an instance given a JWT_SECRET that differs from the one the database supplies', async () => {
      await expect(startTestApp({ ...quiet, DATABASE_URL: database.url, DATA_DIR: dataDir(), JWT_SECRET: 'x'.repeat(40) }, { database })).rejects.toThrow(
        /JWT_SECRET does not match the key this database generated for its instances/,
      );
    });
  });

  describe('with keys in the environment', () => {
    let database: TestDatabase;
    const jwtSecret = randomBytes(32).toString('hex');
    const oldKey = sealingKey();

    beforeAll(async () => (database = await createTestDatabase()));
    afterAll(() => database.drop());

    it('refuses a second instance whose JWT_SECRET or WEBHOOK_ENCRYPTION_KEY differs, naming the variable, and never stores the keys', async () => {
      const env = { ...quiet, DATABASE_URL: database.url, JWT_SECRET: jwtSecret, WEBHOOK_ENCRYPTION_KEY: oldKey };
      const first = await startTestApp({ ...env, DATA_DIR: dataDir() }, { database });
      try {
        await expect(startTestApp({ ...env, DATA_DIR: dataDir(), JWT_SECRET: randomBytes(32).toString('hex') }, { database })).rejects.toThrow(
          /Invalid configuration: JWT_SECRET does not match the key this database was first started with/,
        );
        await expect(startTestApp({ ...env, DATA_DIR: dataDir(), WEBHOOK_ENCRYPTION_KEY: sealingKey() }, { database })).rejects.toThrow(
          /Invalid configuration: WEBHOOK_ENCRYPTION_KEY does not match/,
        );
        // An instance without the variables does not silently take a database-made key either.
        await expect(startTestApp({ ...quiet, DATABASE_URL: database.url, DATA_DIR: dataDir() }, { database })).rejects.toThrow(
          /JWT_SECRET is not set, and this database's instances were started with one/,
        );
        const client = new Client({ connectionString: database.url });
        await client.connect();
        const { rows } = await client.query('SELECT count(*)::int AS stored FROM instance_keys WHERE secret IS NOT NULL');
        await client.end();
        expect(rows[0].stored).toBe(0);
      } finally {
        await first.close();
      }
    });

    it('during a rotation accepts the new key with the old one as WEBHOOK_ENCRYPTION_KEY_PREVIOUS, and opens what the old key sealed', async () => {
      const old = await startTestApp({ ...quiet, DATABASE_URL: database.url, DATA_DIR: dataDir(), JWT_SECRET: jwtSecret, WEBHOOK_ENCRYPTION_KEY: oldKey }, { database });
      const sealed = old.app.get(WebhookSecrets).seal(old.main.id, '00000000-0000-4000-8000-000000000002', 'whsec_before');
      await old.close();
      const rotated = await startTestApp(
        { ...quiet, DATABASE_URL: database.url, DATA_DIR: dataDir(), JWT_SECRET: jwtSecret, WEBHOOK_ENCRYPTION_KEY: sealingKey(), WEBHOOK_ENCRYPTION_KEY_PREVIOUS: oldKey },
        { database },
      );
      try {
        expect(rotated.app.get(WebhookSecrets).open(rotated.main.id, '00000000-0000-4000-8000-000000000002', sealed)).toBe('whsec_before');
      } finally {
        await rotated.close();
      }
    });
  });

  describe('rotating the sealing key with npm run keys:reseal', () => {
    let database: TestDatabase;
    const jwtSecret = randomBytes(32).toString('hex');
    const oldKey = sealingKey();
    const newKey = sealingKey();

    beforeAll(async () => (database = await createTestDatabase()));
    afterAll(() => database.drop());

    it('re-seals webhook secrets, mailbox passwords and portal secrets, then refuses instances holding only the old key', async () => {
      const env = { ...quiet, DATABASE_URL: database.url, JWT_SECRET: jwtSecret };
      const before = await startTestApp({ ...env, DATA_DIR: dataDir(), WEBHOOK_ENCRYPTION_KEY: oldKey }, { database });
      const admin = before.auth(before.main.key);
      const webhook = (await before.http.post('/v1/webhooks').set(admin).send({ url: 'http://127.0.0.1:9/hook', events: ['ticket.created'] }).expect(201)).body;
      const mailbox = (await before.http.post('/v1/mailboxes').set(admin).send({
        address: 'support@rotate.test', name: 'Support', smtp: { host: '127.0.0.1', port: 2525, secure: false, user: 'support', password: 'smtp-password' },
      }).expect(201)).body;
      const portal = (await before.http.post('/v1/portal/secret').set(admin).expect(201)).body;
      await before.close();

      // The documented command, as an operator runs it (ts-node stands in for the compiled file npm run builds).
      const run = spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', 'src/keys/cli/reseal.ts'], {
        cwd: join(__dirname, '..'),
        env: { ...process.env, ...env, DATA_DIR: dataDir(), WEBHOOK_ENCRYPTION_KEY: newKey, WEBHOOK_ENCRYPTION_KEY_PREVIOUS: oldKey, TS_NODE_PROJECT: 'tsconfig.json' },
        encoding: 'utf8',
        timeout: 120_000,
      });
      expect(run.stderr).toBe('');
      expect(run.stdout).toMatch(/Re-sealed 1 webhook signing secrets/);
      expect(run.stdout).toMatch(/Re-sealed 1 mailbox passwords/);
      expect(run.stdout).toMatch(/Re-sealed 1 portal token secrets/);
      expect(run.status).toBe(0);

      await expect(startTestApp({ ...env, DATA_DIR: dataDir(), WEBHOOK_ENCRYPTION_KEY: oldKey }, { database })).rejects.toThrow(/WEBHOOK_ENCRYPTION_KEY does not match/);
      const after = await startTestApp({ ...env, DATA_DIR: dataDir(), WEBHOOK_ENCRYPTION_KEY: newKey }, { database });
      try {
        const client = new Client({ connectionString: database.url });
        await client.connect();
        const [hook] = (await client.query('SELECT secret_ciphertext FROM webhook_subscriptions WHERE id = $1', [webhook.id])).rows;
        const [box] = (await client.query('SELECT smtp_password_sealed FROM mailboxes WHERE id = $1', [mailbox.id])).rows;
        const [settings] = (await client.query('SELECT jwt_secret_sealed FROM portal_settings WHERE workspace_id = $1', [after.main.id])).rows;
        await client.end();
        // Opened with the new key alone (no WEBHOOK_ENCRYPTION_KEY_PREVIOUS on this instance).
        expect(after.app.get(WebhookSecrets).open(after.main.id, webhook.id, hook.secret_ciphertext)).toBe(webhook.secret);
        expect(after.app.get(ChannelSecrets).open(after.main.id, 'smtp', mailbox.id, box.smtp_password_sealed)).toBe('smtp-password');
        expect(after.app.get(ChannelSecrets).open(after.main.id, 'portal-jwt', after.main.id, settings.jwt_secret_sealed)).toBe(portal.secret);
      } finally {
        await after.close();
      }
    });
  });
});
