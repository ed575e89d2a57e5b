import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';

/**
 * Read-only questions other modules ask of the tickets' tables (tickets, ticket_messages), answered here so that
 * their SQL stays with the module that owns those tables. Writes go through TicketsService and ConversationService.
 */
export interface ResolvedTicketSummary {
  subject: string;
  firstMessage: string | null;
  type: string | null;
  priority: string;
  teamId: string | null;
  tags: string[];
}

@Injectable()
export class TicketReadModel {
  /** The id of the ticket with this number in the workspace, or null. */
  async ticketIdByNumber(manager: EntityManager, workspaceId: string, number: number): Promise<string | null> {
    const rows: Array<{ id: string }> = await manager.query('SELECT id FROM tickets WHERE workspace_id = $1 AND number = $2', [workspaceId, number]);
    return rows[0]?.id ?? null;
  }

  /** The body of the ticket's latest message ('' when it has none). */
  async latestMessageBody(manager: EntityManager, workspaceId: string, ticketId: string): Promise<string> {
    const [latest]: Array<{ body: string }> = await manager.query(
      'SELECT body FROM ticket_messages WHERE workspace_id = $1 AND ticket_id = $2 ORDER BY sequence DESC LIMIT 1',
      [workspaceId, ticketId],
    );
    return latest?.body ?? '';
  }

  /** Whether the message exists on this ticket and is public (not an internal note). */
  async isPublicMessage(manager: EntityManager, workspaceId: string, ticketId: string, messageId: string): Promise<boolean> {
    const rows: unknown[] = await manager.query(
      `SELECT 1 FROM ticket_messages WHERE workspace_id = $1 AND ticket_id = $2 AND id = $3 AND visibility = 'public'`,
      [workspaceId, ticketId, messageId],
    );
    return rows.length > 0;
  }

  /** How many tickets in these statuses each agent is assignee of (agents with none are absent). */
  async assignedCounts(manager: EntityManager, workspaceId: string, agentIds: readonly string[], statuses: readonly string[]): Promise<Map<string, number>> {
    const rows: Array<{ assignee_id: string; count: string }> = await manager.query(
      `SELECT assignee_id, count(*) AS count FROM tickets
        WHERE workspace_id = $1 AND assignee_id = ANY($2) AND status = ANY($3)
        GROUP BY assignee_id`,
      [workspaceId, agentIds, statuses],
    );
    return new Map(rows.map((row) => [row.assignee_id, Number(row.count)]));
  }

  /** A message's text and HTML, or null when it no longer exists. */
  async messageContent(manager: EntityManager, workspaceId: string, messageId: string): Promise<{ body: string; html: string | null } | null> {
    const [message]: Array<{ body: string; html: string | null }> = await manager.query(
      'SELECT body, html FROM ticket_messages WHERE workspace_id = $1 AND id = $2',
      [workspaceId, messageId],
    );
    return message ?? null;
  }

  /** The body of the ticket's first message ('' when it has none). */
  async firstMessageBody(manager: EntityManager, workspaceId: string, ticketId: string): Promise<string> {
    const [row]: Array<{ body: string }> = await manager.query(
      'SELECT body FROM ticket_messages WHERE workspace_id = $1 AND ticket_id = $2 ORDER BY sequence LIMIT 1',
      [workspaceId, ticketId],
    );
    return row?.body ?? '';
  }

  /** Changes whenever a ticket is resolved, closed or reopened: a cache built from resolved tickets keys on it. */
  async resolvedHistoryVersion(manager: EntityManager, workspaceId: string): Promise<string> {
    const [row]: Array<{ count: string; latest: Date | null }> = await manager.query(
      `SELECT count(*) AS count, max(resolved_at) AS latest FROM tickets WHERE workspace_id = $1 AND status IN ('resolved', 'closed')`,
      [workspaceId],
    );
    return `${row.count}:${row.latest ? new Date(row.latest).toISOString() : ''}`;
  }

  /** The most recently resolved or closed tickets with their first message: what agents decided, for training. */
  async recentlyResolved(manager: EntityManager, workspaceId: string, limit: number): Promise<ResolvedTicketSummary[]> {
    const rows: Array<{ subject: string; body: string | null; type: string | null; priority: string; team_id: string | null; tags: string[] }> = await manager.query(
      `SELECT t.subject, m.body, t.type, t.priority, t.team_id, t.tags
         FROM tickets t
         LEFT JOIN ticket_messages m ON m.workspace_id = t.workspace_id AND m.ticket_id = t.id AND m.sequence = 1
        WHERE t.workspace_id = $1 AND t.status IN ('resolved', 'closed')
        ORDER BY t.resolved_at DESC NULLS LAST
        LIMIT $2`,
      [workspaceId, limit],
    );
    return rows.map((row) => ({ subject: row.subject, firstMessage: row.body, type: row.type, priority: row.priority, teamId: row.team_id, tags: row.tags }));
  }
}
