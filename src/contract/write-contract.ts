import 'reflect-metadata';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createApp } from '../app';
import { loadConfig } from '../config/app-config';
import { startEmbeddedPostgres } from '../database/embedded-postgres';
import { runMigrations } from '../database/migrate';
import { GRAPHQL_SCHEMA_FILE, OPENAPI_FILE, renderGraphQLSchema, renderOpenApi } from './contract';
import { OPENAPI_TYPES_FILE, renderOpenApiTypes } from './openapi-types';

/** `npm run openapi`: regenerates openapi/openapi.json, its TypeScript types and schema.graphql from the code. */
async function writeContract(): Promise<void> {
  const root = resolve(__dirname, '..', '..', '..');
  const scratch = mkdtempSync(join(tmpdir(), 'deskline-contract-'));
  const config = loadConfig({ ...process.env, DATA_DIR: scratch, LOG_LEVEL: 'error', BOOTSTRAP_API_KEY: 'contract-generation-key-not-used-anywhere' });
  const embedded = config.databaseUrl ? null : await startEmbeddedPostgres(join(scratch, 'pg'));
  const databaseUrl = config.databaseUrl ?? embedded!.url;
  try {
    await runMigrations(databaseUrl);
    const app = await createApp(config, databaseUrl);
    await app.init();
    mkdirSync(join(root, 'openapi'), { recursive: true });
    writeFileSync(join(root, OPENAPI_FILE), renderOpenApi(app));
    writeFileSync(join(root, GRAPHQL_SCHEMA_FILE), renderGraphQLSchema(app));
    await app.close();
    writeFileSync(join(root, OPENAPI_TYPES_FILE), await renderOpenApiTypes(join(root, OPENAPI_FILE)));
    process.stdout.write(`Wrote ${OPENAPI_FILE}, ${OPENAPI_TYPES_FILE} and ${GRAPHQL_SCHEMA_FILE}\n`);
  } finally {
    await embedded?.stop();
  }
}

writeContract().catch((error) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
