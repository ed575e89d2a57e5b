import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { PresenceState } from './dto/presence.dto';

export interface PresenceRow {
  agentId: string;
  agentName: string;
  state: PresenceState;
  since: Date;
  expiresAt: Date;
}

/** A ticket whose presence changed, as NOTIFY'd: every instance then reads the ticket's list once for its listeners. */
export interface PresenceChange {
  workspaceId: string;
  ticketId: string;
}

/** The channel presence changes are NOTIFY'd on, with `{"w": workspaceId, "t": ticketId}` as payload. */
export const PRESENCE_CHANNEL = 'deskline_presence';

const LIVE_COLUMNS = `agent_id AS "agentId", agent_name AS "agentName", state, since, expires_at AS "expiresAt"`;

@Injectable()
export class PresenceRepository {
  /**
   * A refresh of an unchanged state only moves expires_at and notifies nobody; an arrival, a state change or a return
   * after expiry notifies, in the same statement (NOTIFY is sent at commit). Answers whether anything others see changed.
   */
  async mark(manager: EntityManager, workspaceId: string, ticketId: string, agent: { id: string; name: string }, state: PresenceState, ttlSeconds: number): Promise<boolean> {
    const [row] = await manager.query(
      `WITH previous AS (
         SELECT state, expires_at > now() AS live FROM ticket_presence WHERE workspace_id = $1 AND ticket_id = $2 AND agent_id = $3
       ), marked AS (
         INSERT INTO ticket_presence AS p (workspace_id, ticket_id, agent_id, agent_name, state, since, expires_at)
         VALUES ($1, $2, $3, $4, $5, now(), now() + make_interval(secs => $6))
         ON CONFLICT (workspace_id, ticket_id, agent_id) DO UPDATE
           SET agent_name = EXCLUDED.agent_name, state = EXCLUDED.state, expires_at = EXCLUDED.expires_at,
               since = CASE WHEN p.expires_at > now() THEN p.since ELSE EXCLUDED.since END
         RETURNING 1
       ), changed AS (
         SELECT NOT EXISTS (SELECT 1 FROM previous WHERE live AND state = $5) AS changed FROM marked
       )
       SELECT changed, CASE WHEN changed THEN pg_notify('${PRESENCE_CHANNEL}', json_build_object('w', $1::text, 't', $2::text)::text) END FROM changed`,
      [workspaceId, ticketId, agent.id, agent.name, state, ttlSeconds],
    );
    return Boolean(row?.changed);
  }

  /** Answers whether the agent was there (an expired row was not: others already saw it leave or will at the sweep). */
  async leave(manager: EntityManager, workspaceId: string, ticketId: string, agentId: string): Promise<boolean> {
    const [row] = await manager.query(
      `WITH left_ticket AS (
         DELETE FROM ticket_presence WHERE workspace_id = $1 AND ticket_id = $2 AND agent_id = $3 RETURNING expires_at > now() AS live
       )
       SELECT live, CASE WHEN live THEN pg_notify('${PRESENCE_CHANNEL}', json_build_object('w', $1::text, 't', $2::text)::text) END FROM left_ticket`,
      [workspaceId, ticketId, agentId],
    );
    return Boolean(row?.live);
  }

  /** Who is on the ticket now; expired rows are never shown, whether or not the sweep has deleted them yet. */
  async listLive(manager: EntityManager, workspaceId: string, ticketId: string): Promise<PresenceRow[]> {
    return manager.query(
      `SELECT ${LIVE_COLUMNS} FROM ticket_presence
        WHERE workspace_id = $1 AND ticket_id = $2 AND expires_at > now()
        ORDER BY since, agent_id`,
      [workspaceId, ticketId],
    );
  }

  /**
   * Deletes the rows that ran out and notifies each of their tickets. Instances sweeping at once each delete different
   * rows (DELETE takes each row once), so every expiry is announced once. Answers the next expiry still ahead, if any.
   */
  async sweepExpired(manager: EntityManager): Promise<{ tickets: PresenceChange[]; nextExpiry: Date | null }> {
    const [row] = await manager.query(
      `WITH swept AS (
         DELETE FROM ticket_presence WHERE expires_at <= now() RETURNING workspace_id, ticket_id
       ), left_tickets AS (
         SELECT DISTINCT workspace_id, ticket_id FROM swept
       ), notified AS (
         SELECT pg_notify('${PRESENCE_CHANNEL}', json_build_object('w', workspace_id::text, 't', ticket_id::text)::text) FROM left_tickets
       )
       SELECT (SELECT coalesce(json_agg(json_build_object('workspaceId', workspace_id, 'ticketId', ticket_id)), '[]') FROM left_tickets) AS tickets,
              (SELECT count(*) FROM notified)::int AS notified,
              (SELECT min(expires_at) FROM ticket_presence WHERE expires_at > now()) AS "nextExpiry"`,
    );
    return { tickets: row.tickets, nextExpiry: row.nextExpiry ? new Date(row.nextExpiry) : null };
  }
}
