import 'reflect-metadata';
import { createApp } from './app';
import { ConfigError, loadConfig } from './config/app-config';
import { RunningPostgres, startEmbeddedPostgres } from './database/embedded-postgres';
import { runMigrations } from './database/migrate';
import { join } from 'node:path';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(78);
    }
    throw error;
  }
  let embedded: RunningPostgres | null = null;
  if (!config.databaseUrl) {
    process.stdout.write(`Starting embedded PostgreSQL in ${join(config.dataDir, 'pg')} (set DATABASE_URL to use your own server)\n`);
    embedded = await startEmbeddedPostgres(join(config.dataDir, 'pg'), undefined, { ownSignalHandling: true });
  }
  const databaseUrl = config.databaseUrl ?? embedded!.url;
  const applied = await runMigrations(databaseUrl);
  if (applied.length) process.stdout.write(`Applied migrations: ${applied.join(', ')}\n`);

  let app;
  try {
    app = await createApp(config, databaseUrl);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    await embedded?.stop().catch(() => undefined);
    process.exit(78);
  }
  await app.listen({ port: config.port, host: config.host });
  // The bound port, not the configured one: PORT=0 picks a free port.
  const { port } = app.getHttpServer().address() as { port: number };
  const docs = config.http.docsEnabled ? ', docs /docs' : '';
  process.stdout.write(`Deskline listening on http://localhost:${port} (REST /v1, GraphQL /graphql${docs})\n`);

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`${signal} received, shutting down\n`);
    await app.close().catch(() => undefined);
    await embedded?.stop().catch(() => undefined);
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((error) => {
  process.stderr.write(`Deskline failed to start: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
