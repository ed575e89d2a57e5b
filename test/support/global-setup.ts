import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { adminQuery, TEMPLATE_DATABASE, withDatabase } from './database';

/**
 * One PostgreSQL for the whole run (DATABASE_URL, or an embedded one), migrated once into a template
 * database; each test file then copies the template, which is far faster than migrating again.
 */
export default async function globalSetup(): Promise<void> {
  require('ts-node').register({ transpileOnly: true, compilerOptions: { module: 'commonjs' } });
  const { startEmbeddedPostgres } = require('../../src/database/embedded-postgres');
  const { runMigrations } = require('../../src/database/migrate');

  let serverUrl = process.env.DATABASE_URL;
  const scratch: string[] = [];
  if (!serverUrl) {
    const directory = mkdtempSync(join(tmpdir(), 'deskline-test-pg-'));
    scratch.push(directory);
    // Its watchdog stops this PostgreSQL if jest dies without tearing down (SIGKILL, out of memory).
    const embedded = await startEmbeddedPostgres(join(directory, 'pg'));
    (globalThis as Record<string, unknown>).__DESKLINE_EMBEDDED__ = embedded;
    serverUrl = embedded.url;
  }
  await adminQuery(serverUrl!, `DROP DATABASE IF EXISTS ${TEMPLATE_DATABASE} WITH (FORCE)`);
  await adminQuery(serverUrl!, `CREATE DATABASE ${TEMPLATE_DATABASE}`);
  await runMigrations(withDatabase(serverUrl!, TEMPLATE_DATABASE));
  process.env.DESKLINE_TEST_SERVER_URL = serverUrl;
  const dataDir = mkdtempSync(join(tmpdir(), 'deskline-test-data-'));
  // Fixed keys for every instance of the run, in-process or child: instances on one database must share them.
  writeFileSync(join(dataDir, 'jwt-secret'), 'test-secret-that-is-long-enough-for-hs256-signing\n');
  writeFileSync(join(dataDir, 'webhook-encryption-key'), `${Buffer.alloc(32, 7).toString('base64')}\n`);
  process.env.DESKLINE_TEST_DATA_DIR = dataDir;
  scratch.push(dataDir);
  (globalThis as Record<string, unknown>).__DESKLINE_SCRATCH__ = scratch;
}
