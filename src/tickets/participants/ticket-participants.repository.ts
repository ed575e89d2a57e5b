import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';

/** Who besides the requester and assignee is on a ticket: the agents following it and the contacts copied (CCs). */
@Injectable()
export class TicketParticipantsRepository {
  /** Resolves true when the agent was not following yet. */
  async addFollower(manager: EntityManager, workspaceId: string, ticketId: string, agentId: string): Promise<boolean> {
    const rows = await manager.query(
      `INSERT INTO ticket_followers (workspace_id, ticket_id, agent_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING agent_id`,
      [workspaceId, ticketId, agentId],
    );
    return rows.length > 0;
  }

  async removeFollower(manager: EntityManager, workspaceId: string, ticketId: string, agentId: string): Promise<boolean> {
    const [rows] = await manager.query(
      `DELETE FROM ticket_followers WHERE workspace_id = $1 AND ticket_id = $2 AND agent_id = $3 RETURNING agent_id`,
      [workspaceId, ticketId, agentId],
    );
    return rows.length > 0;
  }

  async followerIds(manager: EntityManager, workspaceId: string, ticketId: string): Promise<string[]> {
    const rows: Array<{ agent_id: string }> = await manager.query(
      `SELECT agent_id FROM ticket_followers WHERE workspace_id = $1 AND ticket_id = $2 ORDER BY created_at, agent_id`,
      [workspaceId, ticketId],
    );
    return rows.map((row) => row.agent_id);
  }

  /** Adds the contacts not copied yet; resolves the ones added, in the order given. */
  async addCcs(manager: EntityManager, workspaceId: string, ticketId: string, contactIds: string[]): Promise<string[]> {
    if (contactIds.length === 0) return [];
    const rows: Array<{ contact_id: string }> = await manager.query(
      `INSERT INTO ticket_ccs (workspace_id, ticket_id, contact_id, created_at)
         SELECT $1, $2, c.id, clock_timestamp() + (c.ord * interval '1 microsecond') FROM unnest($3::uuid[]) WITH ORDINALITY AS c(id, ord)
       ON CONFLICT DO NOTHING RETURNING contact_id`,
      [workspaceId, ticketId, [...new Set(contactIds)]],
    );
    const added = new Set(rows.map((row) => row.contact_id));
    return [...new Set(contactIds)].filter((id) => added.has(id));
  }

  async removeCc(manager: EntityManager, workspaceId: string, ticketId: string, contactId: string): Promise<boolean> {
    const [rows] = await manager.query(
      `DELETE FROM ticket_ccs WHERE workspace_id = $1 AND ticket_id = $2 AND contact_id = $3 RETURNING contact_id`,
      [workspaceId, ticketId, contactId],
    );
    return rows.length > 0;
  }

  async ccIds(manager: EntityManager, workspaceId: string, ticketId: string): Promise<string[]> {
    const rows: Array<{ contact_id: string }> = await manager.query(
      `SELECT contact_id FROM ticket_ccs WHERE workspace_id = $1 AND ticket_id = $2 ORDER BY created_at, contact_id`,
      [workspaceId, ticketId],
    );
    return rows.map((row) => row.contact_id);
  }

  async isCc(manager: EntityManager, workspaceId: string, ticketId: string, contactId: string): Promise<boolean> {
    const rows = await manager.query(`SELECT 1 FROM ticket_ccs WHERE workspace_id = $1 AND ticket_id = $2 AND contact_id = $3`, [workspaceId, ticketId, contactId]);
    return rows.length > 0;
  }
}
