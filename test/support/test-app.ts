import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomBytes } from 'node:crypto';
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

/**
 * A real server on a real port over a fresh copy of the migrated template database. `env` adds or overrides
 * configuration (e.g. background workers off for a test that counts queries); `sameDatabaseAs` starts a second
 * instance over another app's database (which that app's close drops), as in a multi-instance deployment.
 */
export async function startTestApp(env: Record<string, string> = {}, options: { sameDatabaseAs?: TestApp } = {}): Promise<TestApp> {
  const serverUrl = process.env.DESKLINE_TEST_SERVER_URL;
  if (!serverUrl) throw new Error('Run tests through jest so the global setup starts PostgreSQL.');
  const shared = options.sameDatabaseAs;
  const database = shared ? null : `t_${randomBytes(6).toString('hex')}`;
  if (database) await adminQuery(serverUrl, `CREATE DATABASE ${database} TEMPLATE ${TEMPLATE_DATABASE}`);
  const databaseUrl = shared ? shared.databaseUrl : withDatabase(serverUrl, database!);
  const bootstrapKey = shared ? shared.main.key : `dsk_test_${randomBytes(16).toString('hex')}`;
  const config = loadConfig({
    DATA_DIR: process.env.DESKLINE_TEST_DATA_DIR,
    BOOTSTRAP_API_KEY: bootstrapKey,
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'error',
    DATABASE_POOL_SIZE: '10',
    // Test receivers listen on http://127.0.0.1; production refuses both unless configured.
    WEBHOOK_ALLOW_HTTP: 'true',
    WEBHOOK_ALLOW_PRIVATE: 'true',
    ...env,
  } as NodeJS.ProcessEnv);
  const app = await createApp(config, databaseUrl);
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
      if (database) await adminQuery(serverUrl, `DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    },
  };
}
