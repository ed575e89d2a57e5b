import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Request counters shared by every instance: one row per rate-limit bucket (a hashed credential or a client address)
 * and fixed window, bumped by one upsert per request. UNLOGGED because it is written on every request and holds
 * nothing worth keeping: skipping the WAL makes those writes cheap, and what a crash or a failover loses (the table is
 * emptied on crash recovery and not replicated) is at most one window of counts, after which limits hold again.
 * No workspace_id: buckets exist before anyone is authenticated. No index on window_start for the sweep of ended
 * windows: the table holds about two windows of active buckets, which a scan reads faster than every insert would
 * maintain a second index.
 */
export class RateLimits1764289200000 implements MigrationInterface {
  name = 'RateLimits1764289200000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE UNLOGGED TABLE rate_limit_counters (
        bucket text NOT NULL,
        window_start timestamptz(3) NOT NULL,
        hits integer NOT NULL,
        PRIMARY KEY (bucket, window_start)
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE rate_limit_counters`);
  }
}
