import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Where tickets come from: mailboxes, every email we received or sent (the Message-ID index that threads replies
 * and the outbound queue), attachments, chat transcripts, chat-message links and escalations, portal secrets.
 * workspace_id leads every key and index, and references include it.
 */
export class Channels1764288500000 implements MigrationInterface {
  name = 'Channels1764288500000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE mailboxes (
        workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        address citext NOT NULL,
        name text NOT NULL,
        team_id uuid,
        imap_host text,
        imap_port integer,
        imap_secure boolean,
        imap_user text,
        imap_password_sealed text,
        imap_uid_validity bigint,
        imap_last_uid bigint,
        imap_polled_at timestamptz(3),
        imap_error text,
        smtp_host text,
        smtp_port integer,
        smtp_secure boolean,
        smtp_user text,
        smtp_password_sealed text,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        PRIMARY KEY (workspace_id, id),
        FOREIGN KEY (workspace_id, team_id) REFERENCES teams(workspace_id, id) ON DELETE SET NULL (team_id)
      )`);
    await db.query(`CREATE UNIQUE INDEX mailboxes_workspace_address_key ON mailboxes (workspace_id, address)`);
    await db.query(`CREATE INDEX mailboxes_workspace_created_idx ON mailboxes (workspace_id, created_at, id)`);

    // One row per email that became (part of) a conversation, inbound or outbound. The unique Message-ID makes a
    // redelivered email a no-op and lets a reply naming any of our Message-IDs find its ticket.
    await db.query(`
      CREATE TABLE email_messages (
        workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        message_id text NOT NULL,
        direction text NOT NULL CHECK (direction IN ('inbound', 'outbound')),
        ticket_id uuid NOT NULL,
        ticket_message_id uuid NOT NULL,
        mailbox_id uuid,
        in_reply_to text,
        "references" text[] NOT NULL DEFAULT '{}',
        from_address text,
        to_addresses text[] NOT NULL DEFAULT '{}',
        subject text,
        raw bytea,
        full_text text,
        delivery_state text CHECK (delivery_state IN ('queued', 'sent', 'failed')),
        delivery_error text,
        attempt_count integer NOT NULL DEFAULT 0,
        next_attempt_at timestamptz(3),
        lease_token uuid,
        sent_at timestamptz(3),
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        PRIMARY KEY (workspace_id, id),
        FOREIGN KEY (workspace_id, ticket_id) REFERENCES tickets(workspace_id, id) ON DELETE CASCADE,
        FOREIGN KEY (workspace_id, ticket_message_id) REFERENCES ticket_messages(workspace_id, id) ON DELETE CASCADE,
        FOREIGN KEY (workspace_id, mailbox_id) REFERENCES mailboxes(workspace_id, id) ON DELETE SET NULL (mailbox_id),
        CHECK ((direction = 'outbound') = (delivery_state IS NOT NULL))
      )`);
    await db.query(`CREATE UNIQUE INDEX email_messages_workspace_message_id_key ON email_messages (workspace_id, message_id)`);
    await db.query(`CREATE INDEX email_messages_ticket_idx ON email_messages (workspace_id, ticket_id, created_at)`);
    await db.query(`CREATE INDEX email_messages_ticket_message_idx ON email_messages (workspace_id, ticket_message_id)`);
    await db.query(`CREATE INDEX email_messages_queued_idx ON email_messages (workspace_id, next_attempt_at) WHERE delivery_state = 'queued'`);

    await db.query(`
      CREATE TABLE message_attachments (
        workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        ticket_id uuid NOT NULL,
        message_id uuid NOT NULL,
        file_name text NOT NULL,
        content_type text NOT NULL,
        size_bytes integer NOT NULL CHECK (size_bytes >= 0),
        content_id text,
        inline boolean NOT NULL DEFAULT false,
        content bytea NOT NULL,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        PRIMARY KEY (workspace_id, id),
        FOREIGN KEY (workspace_id, ticket_id) REFERENCES tickets(workspace_id, id) ON DELETE CASCADE,
        FOREIGN KEY (workspace_id, message_id) REFERENCES ticket_messages(workspace_id, id) ON DELETE CASCADE
      )`);
    await db.query(`CREATE INDEX message_attachments_message_idx ON message_attachments (workspace_id, message_id, created_at, id)`);

    await db.query(`
      CREATE TABLE chat_transcripts (
        workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        transcript_id text NOT NULL,
        ticket_id uuid NOT NULL,
        metadata jsonb NOT NULL DEFAULT '{}',
        started_at timestamptz(3) NOT NULL,
        ended_at timestamptz(3),
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        PRIMARY KEY (workspace_id, transcript_id),
        FOREIGN KEY (workspace_id, ticket_id) REFERENCES tickets(workspace_id, id) ON DELETE CASCADE
      )`);

    await db.query(`
      CREATE TABLE ticket_escalations (
        workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        ticket_id uuid NOT NULL,
        platform text NOT NULL,
        channel_id text NOT NULL,
        thread_id text,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        PRIMARY KEY (workspace_id, id),
        FOREIGN KEY (workspace_id, ticket_id) REFERENCES tickets(workspace_id, id) ON DELETE CASCADE
      )`);
    await db.query(`CREATE INDEX ticket_escalations_ticket_idx ON ticket_escalations (workspace_id, ticket_id, created_at)`);
    await db.query(`
      CREATE UNIQUE INDEX ticket_escalations_thread_key ON ticket_escalations (workspace_id, platform, channel_id, thread_id)
      WHERE thread_id IS NOT NULL`);

    // A chat message becomes a ticket (conversion) or a note on an escalated ticket, each exactly once.
    await db.query(`
      CREATE TABLE chat_message_links (
        workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        platform text NOT NULL,
        message_id text NOT NULL,
        kind text NOT NULL CHECK (kind IN ('conversion', 'thread_reply')),
        ticket_id uuid NOT NULL,
        ticket_message_id uuid NOT NULL,
        channel_id text NOT NULL,
        thread_id text,
        permalink text,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        PRIMARY KEY (workspace_id, platform, message_id),
        FOREIGN KEY (workspace_id, ticket_id) REFERENCES tickets(workspace_id, id) ON DELETE CASCADE,
        FOREIGN KEY (workspace_id, ticket_message_id) REFERENCES ticket_messages(workspace_id, id) ON DELETE CASCADE
      )`);
    await db.query(`CREATE INDEX chat_message_links_ticket_idx ON chat_message_links (workspace_id, ticket_id)`);

    await db.query(`
      CREATE TABLE portal_settings (
        workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        jwt_secret_sealed text,
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        PRIMARY KEY (workspace_id)
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE IF EXISTS portal_settings`);
    await db.query(`DROP TABLE IF EXISTS chat_message_links`);
    await db.query(`DROP TABLE IF EXISTS ticket_escalations`);
    await db.query(`DROP TABLE IF EXISTS chat_transcripts`);
    await db.query(`DROP TABLE IF EXISTS message_attachments`);
    await db.query(`DROP TABLE IF EXISTS email_messages`);
    await db.query(`DROP TABLE IF EXISTS mailboxes`);
  }
}
