import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { createApp } from '../../src/app';
import { loadConfig } from '../../src/config/app-config';
import { adminQuery, TEMPLATE_DATABASE, withDatabase } from './database';

export interface TestWorkspace {
  id: string;
  slug: string;
  /** Admin API key of the workspace. */
  key: string;
}

export interface TestApp {
  app: NestFastifyApplication;
  http: ReturnType<typeof request>;
  databaseUrl: string;
  /** Workspace `default`, whose admin key also has the platform scope. */
  main: TestWorkspace;
  /** Creates another workspace with its own admin key, for isolation tests. */
  newWorkspace(name?: string): Promise<TestWorkspace>;
  auth(key: string): { Authorization: string };
  close(): Promise<void>;
}

/** A fresh copy of the migrated template database that outlives the apps started on it, until `drop`. */
export interface TestDatabase {
  url: string;
  /** The bootstrap admin key every instance on this database starts with. */
  bootstrapKey: string;
  drop(): Promise<void>;
}

/**
 * The keys of the run's data directory as environment variables, for servers started as child processes with
 * DATABASE_URL: the database records the fingerprint of the first instance's keys, and every later instance on it,
 * in-process or child, must present the same ones.
 */
export function testInstanceKeys(): { JWT_SECRET: string; WEBHOOK_ENCRYPTION_KEY: string } {
  const dataDir = process.env.DESKLINE_TEST_DATA_DIR;
  if (!dataDir) throw new Error('Run tests through jest so the global setup writes the instance keys.');
  const read = (file: string) => readFileSync(join(dataDir, file), 'utf8').trim();
  return { JWT_SECRET: read('jwt-secret'), WEBHOOK_ENCRYPTION_KEY: read('webhook-encryption-key') };
}

function testServerUrl(): string {
  const serverUrl = process.env.DESKLINE_TEST_SERVER_URL;
  if (!serverUrl) throw new Error('Run tests through jest so the global setup starts PostgreSQL.');
  return serverUrl;
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const serverUrl = testServerUrl();
  const database = `t_${randomBytes(6).toString('hex')}`;
  await adminQuery(serverUrl, `CREATE DATABASE ${database} TEMPLATE ${TEMPLATE_DATABASE}`);
  return {
    url: withDatabase(serverUrl, database),
    bootstrapKey: `dsk_test_${randomBytes(16).toString('hex')}`,
    drop: () => adminQuery(serverUrl, `DROP DATABASE IF EXISTS ${database} WITH (FORCE)`),
  };
}

/**
 * A real server on a real port over a fresh copy of the migrated template database, dropped when the app closes.
 * `env` adds or overrides configuration (e.g. background workers off for a test that counts queries). As in a
 * multi-instance deployment, `sameDatabaseAs` starts another instance over an app's database (which that app's close
 * drops), and `database` over one the caller created and drops (for instances that stop and restart).
 */
export async function startTestApp(env: Record<string, string> = {}, options: { sameDatabaseAs?: TestApp; database?: TestDatabase; connectVia?: string } = {}): Promise<TestApp> {
  const shared = options.sameDatabaseAs;
  const owned = shared || options.database ? null : await createTestDatabase();
  const databaseUrl = shared ? shared.databaseUrl : (options.database ?? owned)!.url;
  const bootstrapKey = shared ? shared.main.key : (options.database ?? owned)!.bootstrapKey;
  const config = loadConfig({
    DATA_DIR: process.env.DESKLINE_TEST_DATA_DIR,
    BOOTSTRAP_API_KEY: bootstrapKey,
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'error',
    DATABASE_POOL_SIZE: '10',
    // Test receivers listen on http://127.0.0.1; production refuses both unless configured.
    WEBHOOK_ALLOW_HTTP: 'true',
    WEBHOOK_ALLOW_PRIVATE: 'true',
    // Suites make hundreds of requests from one key and address; test/security/rate-limits turns limits on.
    RATE_LIMIT_ENABLED: 'false',
    MAIL_ALLOW_PRIVATE: 'true',
    // The lowest cost PASSWORD_SCRYPT_COST allows: at the default each of the suite's hundreds of logins costs 0.1 to 0.3 s.
    PASSWORD_SCRYPT_COST: '10',
    ...env,
  });
  // `connectVia`: the app's pool connects there (e.g. a PgBouncer in front of the database) instead of straight to it.
  const app = await createApp(config, options.connectVia ?? databaseUrl);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const http = request(app.getHttpServer());
  const auth = (key: string) => ({ Authorization: `Bearer ${key}` });
  const [workspace] = await app.get(require('typeorm').DataSource).query(`SELECT id, slug FROM workspaces WHERE slug = 'default'`);
  return {
    app,
    http,
    databaseUrl,
    main: { id: workspace.id, slug: workspace.slug, key: bootstrapKey },
    auth,
    async newWorkspace(name = `Other ${randomBytes(3).toString('hex')}`) {
      const response = await http.post('/v1/workspaces').set(auth(bootstrapKey)).send({ name });
      if (response.status !== 201) throw new Error(`workspace creation failed: ${response.status} ${JSON.stringify(response.body)}`);
      return { id: response.body.workspace.id, slug: response.body.workspace.slug, key: response.body.apiKey.key };
    },
    async close() {
      await app.close();
      await owned?.drop();
    },
  };
}
