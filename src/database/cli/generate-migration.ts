import 'reflect-metadata';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DataSource } from 'typeorm';
import { loadConfig } from '../../config/app-config';
import { dataSourceOptions } from '../data-source-options';
import { startEmbeddedPostgres } from '../embedded-postgres';
import { runMigrations } from '../migrate';

/**
 * `npm run migration:generate -- <Name>`: migrates a scratch database, diffs it against the entities and
 * writes the difference as migrations/<timestamp>-<Name>.ts for review. Prints nothing new when they agree.
 */
async function main(): Promise<void> {
  const name = (process.argv[2] ?? '').replace(/[^A-Za-z0-9]/g, '');
  if (!name) throw new Error('Usage: npm run migration:generate -- <PascalCaseName>');
  const config = loadConfig();
  const scratch = mkdtempSync(join(tmpdir(), 'deskline-migration-'));
  const embedded = config.databaseUrl ? null : await startEmbeddedPostgres(join(scratch, 'pg'));
  const url = config.databaseUrl ?? embedded!.url;
  try {
    await runMigrations(url);
    const dataSource = new DataSource(dataSourceOptions(url));
    await dataSource.initialize();
    const sql = await dataSource.driver.createSchemaBuilder().log();
    await dataSource.destroy();
    if (sql.upQueries.length === 0) {
      process.stdout.write('The entities and the migrations agree; nothing to generate.\n');
      return;
    }
    const timestamp = Date.now();
    const escape = (query: string) => query.replace(/`/g, '\\`');
    const up = sql.upQueries.map((q) => `    await db.query(\`${escape(q.query)}\`);`).join('\n');
    const down = sql.downQueries.reverse().map((q) => `    await db.query(\`${escape(q.query)}\`);`).join('\n');
    const file = resolve(__dirname, '..', '..', '..', '..', 'migrations', `${timestamp}-${name}.ts`);
    writeFileSync(file, `import { MigrationInterface, QueryRunner } from 'typeorm';\n\nexport class ${name}${timestamp} implements MigrationInterface {\n  name = '${name}${timestamp}';\n\n  async up(db: QueryRunner): Promise<void> {\n${up}\n  }\n\n  async down(db: QueryRunner): Promise<void> {\n${down}\n  }\n}\n`);
    process.stdout.write(`Wrote ${file}; review it before committing.\n`);
  } finally {
    await embedded?.stop();
  }
}

main().catch((error) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
