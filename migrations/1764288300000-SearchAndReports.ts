import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Full-text search, satisfaction ratings and the indexes reports aggregate over.
 *
 * Search works on one document per ticket (subject weight A, conversation weight B, requester name and email
 * weight C), so web-style exclusions ("-refund") apply to the whole ticket rather than to one message. There are
 * two documents: the agents' one includes internal notes, the requester-facing one never does. Triggers keep
 * them current inside the writing transaction; the application never maintains them.
 */
export class SearchAndReports1764288300000 implements MigrationInterface {
  name = 'SearchAndReports1764288300000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`CREATE EXTENSION IF NOT EXISTS pg_trgm`);

    await db.query(`
      CREATE TABLE ticket_search_documents (
        workspace_id uuid NOT NULL,
        ticket_id uuid NOT NULL,
        agent_document tsvector NOT NULL,
        requester_document tsvector NOT NULL,
        PRIMARY KEY (workspace_id, ticket_id),
        FOREIGN KEY (workspace_id, ticket_id) REFERENCES tickets(workspace_id, id) ON DELETE CASCADE
      )`);
    await db.query(`CREATE INDEX ticket_search_documents_agent_idx ON ticket_search_documents USING gin (workspace_id, agent_document)`);
    await db.query(`CREATE INDEX ticket_search_documents_requester_idx ON ticket_search_documents USING gin (workspace_id, requester_document)`);

    // A tsvector is capped at 1 MB; indexing only the first 256 KB of a conversation keeps a huge thread writable.
    await db.query(`
      CREATE FUNCTION refresh_ticket_search_document(p_workspace_id uuid, p_ticket_id uuid) RETURNS void
      LANGUAGE sql AS $$
        INSERT INTO ticket_search_documents (workspace_id, ticket_id, agent_document, requester_document)
        SELECT t.workspace_id, t.id,
               head.v || setweight(to_tsvector('english'::regconfig, left(coalesce(m.all_bodies, ''), 262144)), 'B'),
               head.v || setweight(to_tsvector('english'::regconfig, left(coalesce(m.public_bodies, ''), 262144)), 'B')
          FROM tickets t
          JOIN contacts c ON c.workspace_id = t.workspace_id AND c.id = t.requester_id
          CROSS JOIN LATERAL (
            SELECT setweight(to_tsvector('english'::regconfig, t.subject), 'A')
                || setweight(to_tsvector('english'::regconfig, coalesce(c.name, '') || ' ' || coalesce(c.email::text, '')), 'C') AS v
          ) head
          LEFT JOIN LATERAL (
            SELECT string_agg(body, E'\\n' ORDER BY sequence) AS all_bodies,
                   string_agg(body, E'\\n' ORDER BY sequence) FILTER (WHERE visibility = 'public') AS public_bodies
              FROM ticket_messages
             WHERE workspace_id = t.workspace_id AND ticket_id = t.id
          ) m ON true
         WHERE t.workspace_id = p_workspace_id AND t.id = p_ticket_id
        ON CONFLICT (workspace_id, ticket_id)
          DO UPDATE SET agent_document = EXCLUDED.agent_document, requester_document = EXCLUDED.requester_document
      $$`);

    await db.query(`
      CREATE FUNCTION ticket_search_on_ticket() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM refresh_ticket_search_document(NEW.workspace_id, NEW.id);
        RETURN NULL;
      END $$`);
    await db.query(`
      CREATE TRIGGER tickets_search_document AFTER INSERT OR UPDATE OF subject, requester_id ON tickets
        FOR EACH ROW EXECUTE FUNCTION ticket_search_on_ticket()`);

    await db.query(`
      CREATE FUNCTION ticket_search_on_message() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'DELETE' THEN
          PERFORM refresh_ticket_search_document(OLD.workspace_id, OLD.ticket_id);
        ELSE
          PERFORM refresh_ticket_search_document(NEW.workspace_id, NEW.ticket_id);
        END IF;
        RETURN NULL;
      END $$`);
    await db.query(`
      CREATE TRIGGER ticket_messages_search_document AFTER INSERT OR UPDATE OF body, visibility OR DELETE ON ticket_messages
        FOR EACH ROW EXECUTE FUNCTION ticket_search_on_message()`);

    await db.query(`
      CREATE FUNCTION ticket_search_on_contact() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM refresh_ticket_search_document(t.workspace_id, t.id)
           FROM tickets t WHERE t.workspace_id = NEW.workspace_id AND t.requester_id = NEW.id;
        RETURN NULL;
      END $$`);
    await db.query(`
      CREATE TRIGGER contacts_search_document AFTER UPDATE OF name, email ON contacts
        FOR EACH ROW EXECUTE FUNCTION ticket_search_on_contact()`);

    await db.query(`SELECT refresh_ticket_search_document(workspace_id, id) FROM tickets`);

    // Partial matches ("jo@exa", "123") that word search cannot answer.
    await db.query(`CREATE INDEX contacts_email_trgm_idx ON contacts USING gin (workspace_id, (email::text) gin_trgm_ops)`);
    await db.query(`CREATE INDEX contacts_name_trgm_idx ON contacts USING gin (workspace_id, name gin_trgm_ops)`);
    await db.query(`CREATE INDEX tickets_number_trgm_idx ON tickets USING gin (workspace_id, (number::text) gin_trgm_ops)`);

    // Reports scan status changes and first responses by time.
    await db.query(`CREATE INDEX ticket_events_status_changes_idx ON ticket_events (workspace_id, created_at) WHERE type = 'ticket.status_changed'`);
    await db.query(`CREATE INDEX tickets_workspace_first_responded_idx ON tickets (workspace_id, first_responded_at) WHERE first_responded_at IS NOT NULL`);

    // One rating per resolution: a resolution is identified by the ticket's resolved_at, which a reopen clears.
    await db.query(`
      CREATE TABLE satisfaction_ratings (
        workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        ticket_id uuid NOT NULL,
        requester_id uuid NOT NULL,
        resolved_at timestamptz(3) NOT NULL,
        rating text NOT NULL CHECK (rating IN ('good', 'bad')),
        comment text,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        PRIMARY KEY (workspace_id, id),
        FOREIGN KEY (workspace_id, ticket_id) REFERENCES tickets(workspace_id, id) ON DELETE CASCADE,
        FOREIGN KEY (workspace_id, requester_id) REFERENCES contacts(workspace_id, id)
      )`);
    await db.query(`CREATE UNIQUE INDEX satisfaction_ratings_resolution_key ON satisfaction_ratings (workspace_id, ticket_id, resolved_at)`);
    await db.query(`CREATE INDEX satisfaction_ratings_created_idx ON satisfaction_ratings (workspace_id, created_at)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE IF EXISTS satisfaction_ratings`);
    await db.query(`DROP INDEX IF EXISTS tickets_workspace_first_responded_idx`);
    await db.query(`DROP INDEX IF EXISTS ticket_events_status_changes_idx`);
    await db.query(`DROP INDEX IF EXISTS tickets_number_trgm_idx`);
    await db.query(`DROP INDEX IF EXISTS contacts_name_trgm_idx`);
    await db.query(`DROP INDEX IF EXISTS contacts_email_trgm_idx`);
    await db.query(`DROP TRIGGER IF EXISTS contacts_search_document ON contacts`);
    await db.query(`DROP TRIGGER IF EXISTS ticket_messages_search_document ON ticket_messages`);
    await db.query(`DROP TRIGGER IF EXISTS tickets_search_document ON tickets`);
    await db.query(`DROP FUNCTION IF EXISTS ticket_search_on_contact(), ticket_search_on_message(), ticket_search_on_ticket()`);
    await db.query(`DROP FUNCTION IF EXISTS refresh_ticket_search_document(uuid, uuid)`);
    await db.query(`DROP TABLE IF EXISTS ticket_search_documents`);
  }
}
