import 'reflect-metadata';
import { join } from 'node:path';
import { createApp } from '../../app';
import { ConfigError, loadConfig } from '../../config/app-config';
import { startEmbeddedPostgres } from '../../database/embedded-postgres';
import { runMigrations } from '../../database/migrate';
import { recordSealingKeyRotated } from '../instance-keys';
import { SealedSecretsRegistry } from '../sealed-secrets';

const PAGE_SIZE = 500;

/**
 * `npm run keys:reseal`, step two of rotating WEBHOOK_ENCRYPTION_KEY (README, "Rotating the sealing key"): with the new
 * key in WEBHOOK_ENCRYPTION_KEY and the old one in WEBHOOK_ENCRYPTION_KEY_PREVIOUS, seals every webhook secret,
 * mailbox password and portal secret again with the new key, page by page while the instances keep serving (they open
 * values of either key), then records the new key's fingerprint so an instance still holding only the old key refuses
 * to start. Safe to run again after an interruption: values already sealed with the new key are left alone.
 */
async function main(): Promise<void> {
  if (!process.env.WEBHOOK_ENCRYPTION_KEY || !process.env.WEBHOOK_ENCRYPTION_KEY_PREVIOUS) {
    throw new ConfigError('WEBHOOK_ENCRYPTION_KEY_PREVIOUS', 'and WEBHOOK_ENCRYPTION_KEY must both be set: the old key and the new one');
  }
  // This process only re-seals: no deliveries, scans or mail polling of its own.
  const config = loadConfig({ ...process.env, WEBHOOK_DISPATCHER_ENABLED: 'false', SLA_SCHEDULER_ENABLED: 'false', MAIL_WORKER_ENABLED: 'false', LOG_LEVEL: 'warn' });
  const embedded = config.databaseUrl ? null : await startEmbeddedPostgres(join(config.dataDir, 'pg'));
  const databaseUrl = config.databaseUrl ?? embedded!.url;
  try {
    await runMigrations(databaseUrl);
    const app = await createApp(config, databaseUrl);
    try {
      await app.init();
      const total = await app.get(SealedSecretsRegistry).resealAll(PAGE_SIZE, (owner, count) => process.stdout.write(`Re-sealed ${count} ${owner}\n`));
      await recordSealingKeyRotated(config, databaseUrl);
      process.stdout.write(`Done: ${total} values now sealed with the new key. Remove WEBHOOK_ENCRYPTION_KEY_PREVIOUS from every instance.\n`);
    } finally {
      await app.close();
    }
  } finally {
    await embedded?.stop();
  }
}

main().catch((error) => {
  process.stderr.write(`${error instanceof ConfigError ? error.message : error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(error instanceof ConfigError ? 78 : 1);
});
