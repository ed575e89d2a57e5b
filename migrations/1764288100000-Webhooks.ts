import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Outbound webhooks: subscriptions, the fan-out cursor over the outbox, deliveries and their attempts.
 * As everywhere, workspace_id leads every key and index, and references include it.
 */
export class Webhooks1764288100000 implements MigrationInterface {
  name = 'Webhooks1764288100000';

  async up(db: QueryRunner): Promise<void> {
    // Identity positions are handed out at insert, not at commit, so a position cursor alone would skip an event
    // whose transaction commits after a later one. Recording the writing transaction lets the fan-out read only
    // events older than every transaction still running (pg_snapshot_xmin), which can no longer change.
    await db.query(`ALTER TABLE outbox_events ADD COLUMN transaction_id xid8 NOT NULL DEFAULT pg_current_xact_id()`);
    await db.query(`CREATE INDEX outbox_events_transaction_idx ON outbox_events (workspace_id, transaction_id, position)`);

    await db.query(`
      CREATE TABLE webhook_subscriptions (
        workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        url text NOT NULL,
        events text[] NOT NULL,
        description text,
        enabled boolean NOT NULL DEFAULT true,
        secret_ciphertext text NOT NULL,
        previous_secret_ciphertext text,
        previous_secret_expires_at timestamptz(3),
        failing_since timestamptz(3),
        disabled_reason text CHECK (disabled_reason IN ('manual', 'gone', 'failing')),
        disabled_at timestamptz(3),
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        PRIMARY KEY (workspace_id, id)
      )`);
    await db.query(`CREATE INDEX webhook_subscriptions_workspace_created_idx ON webhook_subscriptions (workspace_id, created_at, id)`);

    // How far each workspace's outbox has been fanned out, in (transaction_id, position) order.
    await db.query(`
      CREATE TABLE webhook_fanout_cursors (
        workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        transaction_id xid8 NOT NULL DEFAULT '0',
        position bigint NOT NULL DEFAULT 0,
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        PRIMARY KEY (workspace_id)
      )`);

    await db.query(`
      CREATE TABLE webhook_deliveries (
        workspace_id uuid NOT NULL,
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        subscription_id uuid NOT NULL,
        event_id uuid NOT NULL,
        event_type text NOT NULL,
        payload jsonb NOT NULL,
        status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'succeeded', 'failed')),
        attempt_count integer NOT NULL DEFAULT 0,
        next_attempt_at timestamptz(3),
        lease_token uuid,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        completed_at timestamptz(3),
        PRIMARY KEY (workspace_id, id),
        FOREIGN KEY (workspace_id, subscription_id) REFERENCES webhook_subscriptions(workspace_id, id) ON DELETE CASCADE,
        CHECK ((status = 'pending') = (next_attempt_at IS NOT NULL))
      )`);
    // One delivery per event and subscription: fanning the same event out twice is a no-op.
    await db.query(`CREATE UNIQUE INDEX webhook_deliveries_subscription_event_key ON webhook_deliveries (workspace_id, subscription_id, event_id)`);
    await db.query(`CREATE INDEX webhook_deliveries_subscription_created_idx ON webhook_deliveries (workspace_id, subscription_id, created_at, id)`);
    await db.query(`CREATE INDEX webhook_deliveries_subscription_status_idx ON webhook_deliveries (workspace_id, subscription_id, status, created_at, id)`);
    // Only pending rows are indexed, so the dispatcher's scan for due work stays small however long the log grows.
    await db.query(`CREATE INDEX webhook_deliveries_pending_idx ON webhook_deliveries (workspace_id, next_attempt_at) WHERE status = 'pending'`);

    await db.query(`
      CREATE TABLE webhook_delivery_attempts (
        workspace_id uuid NOT NULL,
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        delivery_id uuid NOT NULL,
        attempted_at timestamptz(3) NOT NULL,
        status_code integer,
        duration_ms integer NOT NULL,
        response_excerpt text,
        error text,
        PRIMARY KEY (workspace_id, id),
        FOREIGN KEY (workspace_id, delivery_id) REFERENCES webhook_deliveries(workspace_id, id) ON DELETE CASCADE
      )`);
    await db.query(`CREATE INDEX webhook_delivery_attempts_delivery_idx ON webhook_delivery_attempts (workspace_id, delivery_id, attempted_at)`);
  }

  async down(db: QueryRunner): Promise<void> {
    for (const table of ['webhook_delivery_attempts', 'webhook_deliveries', 'webhook_fanout_cursors', 'webhook_subscriptions']) {
      await db.query(`DROP TABLE IF EXISTS ${table}`);
    }
    await db.query(`DROP INDEX IF EXISTS outbox_events_transaction_idx`);
    await db.query(`ALTER TABLE outbox_events DROP COLUMN IF EXISTS transaction_id`);
  }
}
