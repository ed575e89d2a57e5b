import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The ticketing core. Every table carries workspace_id, and it leads every key and index so rows of one
 * workspace stay together and the schema can be distributed by tenant. Foreign keys include workspace_id,
 * which makes a cross-workspace reference impossible at the database level, not only in the services.
 */
export class Foundation1764288000000 implements MigrationInterface {
  name = 'Foundation1764288000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`CREATE EXTENSION IF NOT EXISTS citext`);

    await db.query(`
      CREATE TABLE workspaces (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        slug text NOT NULL,
        name text NOT NULL,
        last_ticket_number bigint NOT NULL DEFAULT 0,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now()
      )`);
    // Slugs are global: login names the workspace before any tenant is known.
    await db.query(`CREATE UNIQUE INDEX workspaces_slug_key ON workspaces (slug)`);

    await db.query(`
      CREATE TABLE agents (
        workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        name text NOT NULL,
        email citext NOT NULL,
        role text NOT NULL CHECK (role IN ('admin', 'agent')),
        password_hash text,
        availability text NOT NULL DEFAULT 'offline' CHECK (availability IN ('online', 'away', 'offline')),
        capacity integer CHECK (capacity IS NULL OR capacity >= 0),
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        PRIMARY KEY (workspace_id, id)
      )`);
    await db.query(`CREATE UNIQUE INDEX agents_workspace_email_key ON agents (workspace_id, email)`);

    await db.query(`
      CREATE TABLE api_keys (
        workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        name text NOT NULL,
        role text NOT NULL CHECK (role IN ('admin', 'agent')),
        scopes text[] NOT NULL DEFAULT '{}',
        agent_id uuid,
        key_hash text NOT NULL,
        key_prefix text NOT NULL,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        last_used_at timestamptz(3),
        revoked_at timestamptz(3),
        PRIMARY KEY (workspace_id, id),
        FOREIGN KEY (workspace_id, agent_id) REFERENCES agents(workspace_id, id) ON DELETE CASCADE
      )`);
    // Authentication happens before the tenant is known, so the hash lookup is the one global index.
    await db.query(`CREATE UNIQUE INDEX api_keys_key_hash_key ON api_keys (key_hash)`);

    await db.query(`
      CREATE TABLE refresh_tokens (
        workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        agent_id uuid NOT NULL,
        family_id uuid NOT NULL,
        token_hash text NOT NULL,
        expires_at timestamptz(3) NOT NULL,
        used_at timestamptz(3),
        revoked_at timestamptz(3),
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        PRIMARY KEY (workspace_id, id),
        FOREIGN KEY (workspace_id, agent_id) REFERENCES agents(workspace_id, id) ON DELETE CASCADE
      )`);
    await db.query(`CREATE UNIQUE INDEX refresh_tokens_token_hash_key ON refresh_tokens (token_hash)`);
    await db.query(`CREATE INDEX refresh_tokens_family_idx ON refresh_tokens (workspace_id, family_id)`);

    await db.query(`
      CREATE TABLE teams (
        workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        name citext NOT NULL,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        PRIMARY KEY (workspace_id, id)
      )`);
    await db.query(`CREATE UNIQUE INDEX teams_workspace_name_key ON teams (workspace_id, name)`);

    await db.query(`
      CREATE TABLE team_members (
        workspace_id uuid NOT NULL,
        team_id uuid NOT NULL,
        agent_id uuid NOT NULL,
        added_at timestamptz(3) NOT NULL DEFAULT now(),
        PRIMARY KEY (workspace_id, team_id, agent_id),
        FOREIGN KEY (workspace_id, team_id) REFERENCES teams(workspace_id, id) ON DELETE CASCADE,
        FOREIGN KEY (workspace_id, agent_id) REFERENCES agents(workspace_id, id) ON DELETE CASCADE
      )`);
    await db.query(`CREATE INDEX team_members_agent_idx ON team_members (workspace_id, agent_id)`);

    await db.query(`
      CREATE TABLE contacts (
        workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        name text,
        email citext,
        phone text,
        external_id text,
        metadata jsonb NOT NULL DEFAULT '{}',
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        PRIMARY KEY (workspace_id, id)
      )`);
    await db.query(`CREATE UNIQUE INDEX contacts_workspace_email_key ON contacts (workspace_id, email) WHERE email IS NOT NULL`);
    await db.query(`CREATE UNIQUE INDEX contacts_workspace_external_id_key ON contacts (workspace_id, external_id) WHERE external_id IS NOT NULL`);
    await db.query(`CREATE INDEX contacts_workspace_created_idx ON contacts (workspace_id, created_at DESC, id DESC)`);

    await db.query(`
      CREATE TABLE tickets (
        workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        number bigint NOT NULL,
        subject text NOT NULL,
        status text NOT NULL CHECK (status IN ('new', 'open', 'pending', 'on_hold', 'resolved', 'closed')),
        priority text NOT NULL CHECK (priority IN ('low', 'normal', 'high', 'urgent')),
        priority_rank smallint GENERATED ALWAYS AS (
          CASE priority WHEN 'low' THEN 1 WHEN 'normal' THEN 2 WHEN 'high' THEN 3 ELSE 4 END) STORED,
        type text CHECK (type IN ('question', 'incident', 'problem', 'task')),
        tags text[] NOT NULL DEFAULT '{}',
        channel text NOT NULL CHECK (channel IN ('api', 'email', 'chat', 'portal', 'chat_message')),
        requester_id uuid NOT NULL,
        assignee_id uuid,
        team_id uuid,
        follow_up_of_id uuid,
        custom_fields jsonb NOT NULL DEFAULT '{}',
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        first_responded_at timestamptz(3),
        resolved_at timestamptz(3),
        closed_at timestamptz(3),
        version integer NOT NULL DEFAULT 1,
        last_message_sequence integer NOT NULL DEFAULT 0,
        last_event_sequence integer NOT NULL DEFAULT 0,
        PRIMARY KEY (workspace_id, id),
        FOREIGN KEY (workspace_id, requester_id) REFERENCES contacts(workspace_id, id),
        FOREIGN KEY (workspace_id, assignee_id) REFERENCES agents(workspace_id, id),
        FOREIGN KEY (workspace_id, team_id) REFERENCES teams(workspace_id, id),
        FOREIGN KEY (workspace_id, follow_up_of_id) REFERENCES tickets(workspace_id, id)
      )`);
    await db.query(`CREATE UNIQUE INDEX tickets_workspace_number_key ON tickets (workspace_id, number)`);
    // List orderings: each sort key with id as the tie-breaker so cursors are stable.
    await db.query(`CREATE INDEX tickets_workspace_created_idx ON tickets (workspace_id, created_at, id)`);
    await db.query(`CREATE INDEX tickets_workspace_updated_idx ON tickets (workspace_id, updated_at, id)`);
    await db.query(`CREATE INDEX tickets_workspace_status_updated_idx ON tickets (workspace_id, status, updated_at, id)`);
    await db.query(`CREATE INDEX tickets_workspace_team_status_updated_idx ON tickets (workspace_id, team_id, status, updated_at, id)`);
    await db.query(`CREATE INDEX tickets_workspace_assignee_status_updated_idx ON tickets (workspace_id, assignee_id, status, updated_at, id)`);
    await db.query(`CREATE INDEX tickets_workspace_priority_idx ON tickets (workspace_id, priority_rank, id)`);
    await db.query(`CREATE INDEX tickets_workspace_requester_idx ON tickets (workspace_id, requester_id, created_at, id)`);
    await db.query(`CREATE EXTENSION IF NOT EXISTS btree_gin`);
    await db.query(`CREATE INDEX tickets_workspace_tags_idx ON tickets USING gin (workspace_id, tags)`);

    await db.query(`
      CREATE TABLE ticket_messages (
        workspace_id uuid NOT NULL,
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        ticket_id uuid NOT NULL,
        sequence integer NOT NULL,
        body text NOT NULL,
        html text,
        visibility text NOT NULL CHECK (visibility IN ('public', 'internal')),
        author_type text NOT NULL CHECK (author_type IN ('agent', 'contact', 'system')),
        author_id uuid,
        author_name text,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        PRIMARY KEY (workspace_id, id),
        FOREIGN KEY (workspace_id, ticket_id) REFERENCES tickets(workspace_id, id) ON DELETE CASCADE
      )`);
    await db.query(`CREATE UNIQUE INDEX ticket_messages_ticket_sequence_key ON ticket_messages (workspace_id, ticket_id, sequence)`);

    await db.query(`
      CREATE TABLE ticket_events (
        workspace_id uuid NOT NULL,
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        ticket_id uuid NOT NULL,
        sequence integer NOT NULL,
        type text NOT NULL,
        actor_type text NOT NULL,
        actor_id uuid,
        actor_name text,
        changes jsonb NOT NULL DEFAULT '{}',
        data jsonb NOT NULL DEFAULT '{}',
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        PRIMARY KEY (workspace_id, id),
        FOREIGN KEY (workspace_id, ticket_id) REFERENCES tickets(workspace_id, id) ON DELETE CASCADE
      )`);
    await db.query(`CREATE UNIQUE INDEX ticket_events_ticket_sequence_key ON ticket_events (workspace_id, ticket_id, sequence)`);

    // The transactional outbox: one row per domain event, written in the transaction of the change it describes.
    await db.query(`
      CREATE TABLE outbox_events (
        workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        position bigint GENERATED ALWAYS AS IDENTITY,
        type text NOT NULL,
        subject_type text NOT NULL,
        subject_id uuid NOT NULL,
        sequence integer,
        payload jsonb NOT NULL,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        PRIMARY KEY (workspace_id, id)
      )`);
    await db.query(`CREATE INDEX outbox_events_position_idx ON outbox_events (workspace_id, position)`);

    await db.query(`
      CREATE TABLE idempotency_keys (
        workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        principal_id text NOT NULL,
        key text NOT NULL,
        method text NOT NULL,
        path text NOT NULL,
        request_hash text NOT NULL,
        response_status integer NOT NULL,
        response_body jsonb,
        response_headers jsonb NOT NULL DEFAULT '{}',
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        expires_at timestamptz(3) NOT NULL,
        PRIMARY KEY (workspace_id, principal_id, key)
      )`);
    await db.query(`CREATE INDEX idempotency_keys_expires_idx ON idempotency_keys (expires_at)`);
  }

  async down(db: QueryRunner): Promise<void> {
    for (const table of ['idempotency_keys', 'outbox_events', 'ticket_events', 'ticket_messages', 'tickets', 'contacts',
      'team_members', 'teams', 'refresh_tokens', 'api_keys', 'agents', 'workspaces']) {
      await db.query(`DROP TABLE IF EXISTS ${table}`);
    }
  }
}
