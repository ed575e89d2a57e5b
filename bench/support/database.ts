import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { randomBytes } from 'node:crypto';
import { startEmbeddedPostgres } from '../../src/database/embedded-postgres';

export interface BenchDatabase {
  /** The fresh database the run uses. */
  url: string;
  /** The same server's maintenance database, for server-wide settings. */
  adminUrl: string;
  embedded: boolean;
  dataDir: string;
  /** Lines PostgreSQL wrote to its log (embedded only), for --trace-sql. */
  onLog(listener: ((line: string) => void) | null): void;
  stop(): Promise<void>;
}

export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

export async function query(url: string, sql: string, params: unknown[] = []): Promise<any[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows;
  } finally {
    await client.end();
  }
}

/** A fresh database: a new embedded cluster in a temporary directory, or a new database on DATABASE_URL's server. */
export async function startBenchDatabase(): Promise<BenchDatabase> {
  const dataDir = mkdtempSync(join(tmpdir(), 'deskline-bench-'));
  let listener: ((line: string) => void) | null = null;
  const database = `deskline_bench_${randomBytes(4).toString('hex')}`;
  const external = process.env.DATABASE_URL;
  if (external) {
    const adminUrl = withDatabase(external, 'postgres');
    await query(adminUrl, `CREATE DATABASE ${database}`);
    return {
      url: withDatabase(external, database),
      adminUrl,
      embedded: false,
      dataDir,
      onLog: () => undefined,
      async stop() {
        await query(adminUrl, `DROP DATABASE IF EXISTS ${database} WITH (FORCE)`).catch(() => undefined);
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  }
  const postgres = await startEmbeddedPostgres(join(dataDir, 'pg'), (line) => listener?.(line));
  const adminUrl = withDatabase(postgres.url, 'postgres');
  await query(adminUrl, `CREATE DATABASE ${database}`);
  return {
    url: withDatabase(postgres.url, database),
    adminUrl,
    embedded: true,
    dataDir,
    onLog: (next) => {
      listener = next;
    },
    async stop() {
      await postgres.stop().catch(() => undefined);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
