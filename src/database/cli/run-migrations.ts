import 'reflect-metadata';
import { join } from 'node:path';
import { ConfigError, loadConfig } from '../../config/app-config';
import { startEmbeddedPostgres } from '../embedded-postgres';
import { runMigrations } from '../migrate';

/** `npm run migration:run`: applies pending migrations to DATABASE_URL, or to the embedded database in DATA_DIR. */
async function main(): Promise<void> {
  const config = loadConfig();
  const embedded = config.databaseUrl ? null : await startEmbeddedPostgres(join(config.dataDir, 'pg'));
  try {
    const applied = await runMigrations(config.databaseDirectUrl ?? embedded!.url);
    process.stdout.write(applied.length ? `Applied: ${applied.join(', ')}\n` : 'The schema is up to date.\n');
  } finally {
    await embedded?.stop();
  }
}

main().catch((error) => {
  process.stderr.write(`${error instanceof ConfigError ? error.message : error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
