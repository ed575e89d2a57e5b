import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The event feed's position: a per-workspace number given to each outbox event when its transaction commits, so the
 * feed's order is the commit order and a reader never passes an event that is still to commit.
 *
 * Identity positions (outbox_events.position) are handed out at insert, so position 11 can commit before 10; the
 * webhook fan-out copes by reading below pg_snapshot_xmin, but that order is the order transactions took their ids,
 * which can disagree with a ticket's sequence (a transaction that wrote an idempotency key first holds a smaller id
 * yet may lock the ticket second). Here a deferred constraint trigger numbers the rows at commit under the
 * workspace's row in event_feed_heads: the row lock is held until the transaction's commit is visible, so the
 * transaction numbered n+1 can only take the lock once the one numbered n is visible to every new snapshot. A reader
 * that sees position p therefore sees every position below it, and a cursor is simply the last position read.
 * The lock is taken last (at commit), after every ticket lock, so it adds no lock-order cycle; it serialises the
 * commits of one workspace's event-writing transactions for the length of a commit.
 *
 * pruned_through is the highest position removed by retention: a cursor below it has lost events (410 Gone).
 */
export class EventFeed1764800500000 implements MigrationInterface {
  name = 'EventFeed1764800500000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE event_feed_heads (
        workspace_id uuid PRIMARY KEY REFERENCES workspaces(id) ON DELETE CASCADE,
        position bigint NOT NULL DEFAULT 0,
        pruned_through bigint NOT NULL DEFAULT 0
      )`);
    await db.query(`ALTER TABLE outbox_events ADD COLUMN feed_position bigint`);
    // Existing events take the order the webhook fan-out has used for them.
    await db.query(`
      UPDATE outbox_events e SET feed_position = n.rank
        FROM (SELECT workspace_id, id, row_number() OVER (PARTITION BY workspace_id ORDER BY transaction_id, position) AS rank FROM outbox_events) n
       WHERE e.workspace_id = n.workspace_id AND e.id = n.id`);
    await db.query(`INSERT INTO event_feed_heads (workspace_id, position) SELECT workspace_id, max(feed_position) FROM outbox_events GROUP BY workspace_id`);
    await db.query(`CREATE UNIQUE INDEX outbox_events_feed_idx ON outbox_events (workspace_id, feed_position)`);
    await db.query(`CREATE INDEX outbox_events_created_idx ON outbox_events (created_at)`);
    await db.query(`
      CREATE FUNCTION outbox_events_feed_position() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        next_position bigint;
      BEGIN
        INSERT INTO event_feed_heads AS h (workspace_id, position) VALUES (NEW.workspace_id, 1)
          ON CONFLICT (workspace_id) DO UPDATE SET position = h.position + 1
          RETURNING h.position INTO next_position;
        UPDATE outbox_events SET feed_position = next_position WHERE workspace_id = NEW.workspace_id AND id = NEW.id;
        RETURN NULL;
      END $$`);
    await db.query(`
      CREATE CONSTRAINT TRIGGER outbox_events_feed_position AFTER INSERT ON outbox_events
        DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION outbox_events_feed_position()`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TRIGGER IF EXISTS outbox_events_feed_position ON outbox_events`);
    await db.query(`DROP FUNCTION IF EXISTS outbox_events_feed_position()`);
    await db.query(`DROP INDEX IF EXISTS outbox_events_created_idx`);
    await db.query(`DROP INDEX IF EXISTS outbox_events_feed_idx`);
    await db.query(`ALTER TABLE outbox_events DROP COLUMN IF EXISTS feed_position`);
    await db.query(`DROP TABLE IF EXISTS event_feed_heads`);
  }
}
