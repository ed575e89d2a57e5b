import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The webhook fan-out follows the event feed's commit-order positions (outbox_events.feed_position) instead of
 * (transaction_id, position) below pg_snapshot_xmin: it reads the events module's feed rather than its table, and a
 * consumer gets a ticket's events in the order of their `sequence`.
 *
 * Each cursor moves to just before the first event it had not fanned out yet. Feed order and transaction order can
 * disagree, so a few events already fanned out may sort after that point and be read again: the deliveries' unique
 * key (subscription, event) makes those repeats no-ops, while no unfanned event is passed.
 */
export class FanOutFeedPosition1764900000000 implements MigrationInterface {
  name = 'FanOutFeedPosition1764900000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE webhook_fanout_cursors ADD COLUMN feed_position bigint NOT NULL DEFAULT 0`);
    await db.query(`
      UPDATE webhook_fanout_cursors c SET feed_position = COALESCE(
        (SELECT min(e.feed_position) - 1 FROM outbox_events e
          WHERE e.workspace_id = c.workspace_id AND (e.transaction_id, e.position) > (c.transaction_id, c.position)),
        (SELECT h.position FROM event_feed_heads h WHERE h.workspace_id = c.workspace_id),
        0)`);
    await db.query(`ALTER TABLE webhook_fanout_cursors DROP COLUMN transaction_id, DROP COLUMN position`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE webhook_fanout_cursors ADD COLUMN transaction_id xid8 NOT NULL DEFAULT '0', ADD COLUMN position bigint NOT NULL DEFAULT 0`);
    // Back to just before the first unfanned event in transaction order (or past the last event when none is left).
    await db.query(`
      UPDATE webhook_fanout_cursors c SET (transaction_id, position) = (
        SELECT t.transaction_id, t.position FROM (
          (SELECT e.transaction_id, e.position - 1 AS position, 0 AS preference FROM outbox_events e
            WHERE e.workspace_id = c.workspace_id AND e.feed_position > c.feed_position
            ORDER BY e.transaction_id, e.position LIMIT 1)
          UNION ALL
          (SELECT e.transaction_id, e.position, 1 FROM outbox_events e WHERE e.workspace_id = c.workspace_id
            ORDER BY e.transaction_id DESC, e.position DESC LIMIT 1)) t
         ORDER BY t.preference LIMIT 1)
       WHERE EXISTS (SELECT 1 FROM outbox_events e WHERE e.workspace_id = c.workspace_id)`);
    await db.query(`ALTER TABLE webhook_fanout_cursors DROP COLUMN feed_position`);
  }
}
