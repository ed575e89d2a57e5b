import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The one index on webhook_deliveries that does not lead with workspace_id, on purpose: the dispatcher claims the
 * earliest due deliveries of every workspace at once, and with workspace_id first each claim had to read every
 * pending row. Like the API key hash, it serves work that exists before any tenant is chosen.
 */
export class WebhookDueQueue1764288900000 implements MigrationInterface {
  name = 'WebhookDueQueue1764288900000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`CREATE INDEX webhook_deliveries_due_idx ON webhook_deliveries (next_attempt_at) WHERE status = 'pending'`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX IF EXISTS webhook_deliveries_due_idx`);
  }
}
