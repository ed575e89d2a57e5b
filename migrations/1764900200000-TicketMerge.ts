import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Merging tickets, followers and CCs.
 * - A merged source ticket points at the ticket it was merged into (email threading follows it), and the copies of its
 *   messages on the target say which ticket (and number) they came from.
 * - ticket_followers: agents who follow a ticket (named in every ticket event's payload).
 * - ticket_ccs: contacts copied on a ticket (Cc on public email replies, see the ticket in the portal).
 * - email_messages.cc_addresses: the Cc line an outbound reply is sent with.
 * - email_settings: per-workspace email channel settings (whether an inbound email's Cc addresses become CCs).
 */
export class TicketMerge1764900200000 implements MigrationInterface {
  name = 'TicketMerge1764900200000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE tickets ADD COLUMN merged_into_id uuid`);
    await db.query(`ALTER TABLE tickets ADD CONSTRAINT tickets_merged_into_fkey FOREIGN KEY (workspace_id, merged_into_id) REFERENCES tickets(workspace_id, id)`);
    await db.query(`CREATE INDEX tickets_workspace_merged_into_idx ON tickets (workspace_id, merged_into_id) WHERE merged_into_id IS NOT NULL`);
    await db.query(`ALTER TABLE ticket_messages ADD COLUMN merged_from_ticket_id uuid, ADD COLUMN merged_from_number bigint`);
    await db.query(`
      CREATE TABLE ticket_followers (
        workspace_id uuid NOT NULL,
        ticket_id uuid NOT NULL,
        agent_id uuid NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (workspace_id, ticket_id, agent_id),
        FOREIGN KEY (workspace_id, ticket_id) REFERENCES tickets(workspace_id, id) ON DELETE CASCADE,
        FOREIGN KEY (workspace_id, agent_id) REFERENCES agents(workspace_id, id) ON DELETE CASCADE
      )`);
    await db.query(`CREATE INDEX ticket_followers_workspace_agent_idx ON ticket_followers (workspace_id, agent_id)`);
    await db.query(`
      CREATE TABLE ticket_ccs (
        workspace_id uuid NOT NULL,
        ticket_id uuid NOT NULL,
        contact_id uuid NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (workspace_id, ticket_id, contact_id),
        FOREIGN KEY (workspace_id, ticket_id) REFERENCES tickets(workspace_id, id) ON DELETE CASCADE,
        FOREIGN KEY (workspace_id, contact_id) REFERENCES contacts(workspace_id, id) ON DELETE CASCADE
      )`);
    await db.query(`CREATE INDEX ticket_ccs_workspace_contact_idx ON ticket_ccs (workspace_id, contact_id)`);
    await db.query(`ALTER TABLE email_messages ADD COLUMN cc_addresses text[] NOT NULL DEFAULT '{}'`);
    await db.query(`
      CREATE TABLE email_settings (
        workspace_id uuid PRIMARY KEY REFERENCES workspaces(id) ON DELETE CASCADE,
        inbound_cc_enabled boolean NOT NULL DEFAULT true,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE email_settings`);
    await db.query(`ALTER TABLE email_messages DROP COLUMN cc_addresses`);
    await db.query(`DROP TABLE ticket_ccs`);
    await db.query(`DROP TABLE ticket_followers`);
    await db.query(`ALTER TABLE ticket_messages DROP COLUMN merged_from_ticket_id, DROP COLUMN merged_from_number`);
    await db.query(`DROP INDEX tickets_workspace_merged_into_idx`);
    await db.query(`ALTER TABLE tickets DROP CONSTRAINT tickets_merged_into_fkey`);
    await db.query(`ALTER TABLE tickets DROP COLUMN merged_into_id`);
  }
}
