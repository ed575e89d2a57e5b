import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { runMigrations } from '../src/database/migrate';
import { adminQuery, withDatabase } from './support/database';
import { createTestDatabase, TestDatabase } from './support/test-app';

/**
 * The schema stays ready to be distributed by tenant (Citus, docs in the README's deployment section): every table
 * holding a workspace's rows has a primary key and foreign keys that lead with workspace_id, so each row and each
 * reference lives on the tenant's shard. Only these tables are instance-wide, and none references a tenant table.
 */
const INSTANCE_WIDE = ['instance_keys', 'login_throttle', 'rate_limit_counters', 'schema_migrations', 'workspaces'];

describe('schema: keyed by workspace for a distributed engine', () => {
  let database: TestDatabase;
  let client: Client;

  beforeAll(async () => {
    database = await createTestDatabase();
    client = new Client({ connectionString: database.url });
    await client.connect();
  });
  afterAll(async () => {
    await client.end();
    await database.drop();
  });

  const tables = async (): Promise<string[]> =>
    (await client.query(`SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') ORDER BY 1`)).rows.map((row: { relname: string }) => row.relname);

  it('gives every tenant table a workspace_id primary key prefix and foreign keys that lead with it', async () => {
    const { rows } = await client.query(
      `SELECT c.conrelid::regclass::text AS table_name, c.contype, a.attname AS first_column, pg_get_constraintdef(c.oid) AS definition
         FROM pg_constraint c
         JOIN pg_namespace n ON n.oid = c.connamespace
         JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
        WHERE n.nspname = 'public' AND c.contype IN ('p', 'f')`,
    );
    const offending = rows
      .filter((row: { table_name: string; first_column: string }) => !INSTANCE_WIDE.includes(row.table_name) && row.first_column !== 'workspace_id')
      .map((row: { table_name: string; definition: string }) => `${row.table_name}: ${row.definition}`);
    expect(offending).toEqual([]);

    const withPrimaryKey = new Set(rows.filter((row: { contype: string }) => row.contype === 'p').map((row: { table_name: string }) => row.table_name));
    expect((await tables()).filter((table) => !withPrimaryKey.has(table))).toEqual([]);
  });

  it('keeps the instance-wide tables few and free of references into tenant tables', async () => {
    const all = await tables();
    const { rows: withWorkspace } = await client.query(`SELECT DISTINCT table_name FROM information_schema.columns WHERE table_schema = 'public' AND column_name = 'workspace_id'`);
    const tenant = new Set(withWorkspace.map((row: { table_name: string }) => row.table_name));
    expect(all.filter((table) => !tenant.has(table)).sort()).toEqual([...INSTANCE_WIDE].sort());
    const { rows: references } = await client.query(
      `SELECT c.conrelid::regclass::text AS table_name, c.confrelid::regclass::text AS target
         FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace WHERE n.nspname = 'public' AND c.contype = 'f'`,
    );
    expect(references.filter((row: { table_name: string }) => INSTANCE_WIDE.includes(row.table_name))).toEqual([]);
  });
});

describe('migrations at boot: serialised across instances', () => {
  it('migrates an empty database once when three instances boot at the same moment', async () => {
    const serverUrl = process.env.DESKLINE_TEST_SERVER_URL!;
    const name = `t_empty_${Date.now().toString(36)}`;
    await adminQuery(serverUrl, `CREATE DATABASE ${name}`);
    try {
      const url = withDatabase(serverUrl, name);
      // Each call opens its own connection and takes the advisory lock, as three booting processes do.
      const applied = await Promise.all([runMigrations(url), runMigrations(url), runMigrations(url)]);
      const shipped = readdirSync(join(__dirname, '..', 'migrations')).filter((file) => file.endsWith('.ts')).length;
      // Exactly one instance applied every migration; the others waited for it and found nothing left to do.
      expect(applied.map((names) => names.length).sort((a, b) => a - b)).toEqual([0, 0, shipped]);
      const client = new Client({ connectionString: url });
      await client.connect();
      try {
        const { rows } = await client.query(`SELECT name, count(*)::int AS times FROM schema_migrations GROUP BY name HAVING count(*) > 1`);
        expect(rows).toEqual([]);
        expect((await client.query(`SELECT count(*)::int AS n FROM schema_migrations`)).rows[0].n).toBe(shipped);
      } finally {
        await client.end();
      }
    } finally {
      await adminQuery(serverUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    }
  });
});
