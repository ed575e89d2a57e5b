import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The lease on a mailbox's IMAP IDLE session: which instance holds the one long-lived connection, and until when.
 * A holder renews it well before it expires; when a holder dies, expiry lets another instance take over. The table
 * keeps its (workspace_id, id) key; leases are found by a scan across workspaces, like the poller's, over few rows.
 */
export class ImapIdle1764289000000 implements MigrationInterface {
  name = 'ImapIdle1764289000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE mailboxes ADD COLUMN imap_idle_holder uuid, ADD COLUMN imap_idle_expires_at timestamptz(3)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE mailboxes DROP COLUMN imap_idle_holder, DROP COLUMN imap_idle_expires_at`);
  }
}
