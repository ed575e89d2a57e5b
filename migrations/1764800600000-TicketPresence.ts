import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Which agents are on a ticket right now (viewing or replying), shared by every instance. Each row lives until
 * expires_at unless refreshed; reads never show an expired row and a sweep deletes them. UNLOGGED: it is written on
 * every refresh and holds nothing worth keeping; a crash empties it, and agents reappear on their next refresh (at most
 * one TTL later). No foreign keys: a row outlives nothing it names by more than one TTL.
 */
export class TicketPresence1764800600000 implements MigrationInterface {
  name = 'TicketPresence1764800600000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE UNLOGGED TABLE ticket_presence (
        workspace_id uuid NOT NULL,
        ticket_id uuid NOT NULL,
        agent_id uuid NOT NULL,
        agent_name text NOT NULL,
        state text NOT NULL CHECK (state IN ('viewing', 'replying')),
        since timestamptz(3) NOT NULL,
        expires_at timestamptz(3) NOT NULL,
        PRIMARY KEY (workspace_id, ticket_id, agent_id)
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE ticket_presence`);
  }
}
