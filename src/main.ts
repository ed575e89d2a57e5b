import 'reflect-metadata';
import { createApp } from './app';
import { createLogger, writeInLogOrder } from './common/http/logger';
import { ConfigError, loadConfig } from './config/app-config';
import { DataDirectoryInUse, RunningPostgres, startEmbeddedPostgres } from './database/embedded-postgres';
import { runMigrations } from './database/migrate';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { WorkspacesService } from './workspaces/workspaces.service';

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
  // Before PostgreSQL starts or a database is touched: a second server on a busy port fails at once, in one line.
  await refuseBusyPort(config.host, config.port);
  let embedded: RunningPostgres | null = null;
  if (!config.databaseUrl) {
    process.stdout.write(`Starting embedded PostgreSQL in ${join(config.dataDir, 'pg')} (set DATABASE_URL to use your own server)\n`);
    embedded = await startEmbeddedPostgres(join(config.dataDir, 'pg'), undefined, { ownSignalHandling: true });
  }
  const databaseUrl = config.databaseUrl ?? embedded!.url;
  // Migrations hold a session advisory lock: straight to PostgreSQL when DATABASE_URL is PgBouncer (DATABASE_DIRECT_URL).
  const applied = await runMigrations(config.databaseDirectUrl ?? databaseUrl);
  if (applied.length) process.stdout.write(`Applied migrations: ${applied.join(', ')}\n`);

  const logger = createLogger(config.logLevel);
  let app;
  try {
    app = await createApp(config, databaseUrl, logger);
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
  writeInLogOrder(logger, `Deskline listening on http://localhost:${port} (REST /v1, GraphQL /graphql${docs})\n`);
  // Last, set apart from the log lines, so a newcomer sees it.
  const firstBootKey = app.get(WorkspacesService).takeFirstBootKey();
  if (firstBootKey) writeInLogOrder(logger, `\nDeskline created workspace "default". Its admin API key (shown only now):\n\n  ${firstBootKey}\n\n`);

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

class PortInUse extends Error {}

function refuseBusyPort(host: string, port: number): Promise<void> {
  if (port === 0) return Promise.resolve();
  return new Promise((resolvePromise, reject) => {
    const probe = createServer();
    probe.once('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'EADDRINUSE' ? new PortInUse(`port ${port} is in use; stop the server holding it or set another PORT`) : error),
    );
    probe.listen({ port, host, exclusive: true }, () => probe.close(() => resolvePromise()));
  });
}

main().catch((error) => {
  // Causes an operator fixes get one line; anything else keeps its stack for the bug report.
  const known = error instanceof PortInUse || error instanceof DataDirectoryInUse;
  process.stderr.write(`Deskline failed to start: ${known ? error.message : error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
