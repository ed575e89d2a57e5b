import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Time-based automation rules. `ticket_time_marks` keeps, per ticket, the instants the time conditions measure from
 * (created, updated, status changed, last requester and last public agent reply) with the status and priority the
 * scheduler's candidate query filters on; the automation module maintains it inside every ticket change's
 * transaction. `time_rule_firings` records that a rule fired for a ticket in one qualifying period (the period
 * starts at the latest instant its `at_least` conditions measure from): its primary key makes firing exactly-once
 * across instances; `time_rule_passes` remembers each rule's last complete pass. Existing tickets are backfilled from their history and messages.
 */
export class TimeRules1764900600000 implements MigrationInterface {
  name = 'TimeRules1764900600000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE ticket_time_marks (
        workspace_id uuid NOT NULL,
        ticket_id uuid NOT NULL,
        status text NOT NULL,
        priority text NOT NULL,
        created_at timestamptz(3) NOT NULL,
        updated_at timestamptz(3) NOT NULL,
        status_changed_at timestamptz(3) NOT NULL,
        requester_replied_at timestamptz(3),
        agent_replied_at timestamptz(3),
        PRIMARY KEY (workspace_id, ticket_id),
        FOREIGN KEY (workspace_id, ticket_id) REFERENCES tickets(workspace_id, id) ON DELETE CASCADE
      )`);
    // One index per instant a condition measures from, behind the status every candidate query names.
    for (const column of ['created_at', 'updated_at', 'status_changed_at', 'requester_replied_at', 'agent_replied_at']) {
      await db.query(`CREATE INDEX ticket_time_marks_${column.replace(/_at$/, '')}_idx ON ticket_time_marks (workspace_id, status, ${column}, ticket_id)`);
    }
    await db.query(`
      CREATE TABLE time_rule_firings (
        workspace_id uuid NOT NULL,
        rule_id uuid NOT NULL,
        ticket_id uuid NOT NULL,
        period_start timestamptz(3) NOT NULL,
        fired_at timestamptz(3) NOT NULL,
        PRIMARY KEY (workspace_id, rule_id, ticket_id, period_start),
        FOREIGN KEY (workspace_id, rule_id) REFERENCES automation_rules(workspace_id, id) ON DELETE CASCADE,
        FOREIGN KEY (workspace_id, ticket_id) REFERENCES tickets(workspace_id, id) ON DELETE CASCADE
      )`);
    await db.query(`CREATE INDEX time_rule_firings_ticket_idx ON time_rule_firings (workspace_id, ticket_id)`);
    // When each rule's last complete pass ran: the next one reads only tickets that crossed a bound or changed since.
    await db.query(`
      CREATE TABLE time_rule_passes (
        workspace_id uuid NOT NULL,
        rule_id uuid NOT NULL,
        rule_updated_at timestamptz(3) NOT NULL,
        evaluated_at timestamptz(3) NOT NULL,
        PRIMARY KEY (workspace_id, rule_id),
        FOREIGN KEY (workspace_id, rule_id) REFERENCES automation_rules(workspace_id, id) ON DELETE CASCADE
      )`);
    await db.query(`
      INSERT INTO ticket_time_marks (workspace_id, ticket_id, status, priority, created_at, updated_at, status_changed_at, requester_replied_at, agent_replied_at)
      SELECT t.workspace_id, t.id, t.status, t.priority, t.created_at, t.updated_at,
        COALESCE((SELECT max(e.created_at) FROM ticket_events e WHERE e.workspace_id = t.workspace_id AND e.ticket_id = t.id AND e.type = 'ticket.status_changed'), t.created_at),
        (SELECT max(m.created_at) FROM ticket_messages m WHERE m.workspace_id = t.workspace_id AND m.ticket_id = t.id AND m.author_type = 'contact'),
        (SELECT max(m.created_at) FROM ticket_messages m WHERE m.workspace_id = t.workspace_id AND m.ticket_id = t.id AND m.author_type = 'agent' AND m.visibility = 'public')
      FROM tickets t`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE time_rule_passes`);
    await db.query(`DROP TABLE time_rule_firings`);
    await db.query(`DROP TABLE ticket_time_marks`);
  }
}
