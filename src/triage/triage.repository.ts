import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { LabelledTicket } from './text-classifier';

const MAX_TRAINING_TICKETS = 5000;

/** Reads the workspace's resolved history for training: subject and first message, with the labels agents left. */
@Injectable()
export class TriageRepository {
  /** Changes whenever a ticket is resolved, closed or reopened: the cached model is retrained when it does. */
  async historyVersion(manager: EntityManager, workspaceId: string): Promise<string> {
    const [row] = await manager.query(
      `SELECT count(*) AS count, max(resolved_at) AS latest FROM tickets WHERE workspace_id = $1 AND status IN ('resolved', 'closed')`,
      [workspaceId],
    );
    return `${row.count}:${row.latest ? new Date(row.latest).toISOString() : ''}`;
  }

  async resolvedTickets(manager: EntityManager, workspaceId: string): Promise<LabelledTicket[]> {
    const rows: Array<{ subject: string; body: string | null; type: string | null; priority: string; team_id: string | null; tags: string[] }> = await manager.query(
      `SELECT t.subject, m.body, t.type, t.priority, t.team_id, t.tags
         FROM tickets t
         LEFT JOIN ticket_messages m ON m.workspace_id = t.workspace_id AND m.ticket_id = t.id AND m.sequence = 1
        WHERE t.workspace_id = $1 AND t.status IN ('resolved', 'closed')
        ORDER BY t.resolved_at DESC NULLS LAST
        LIMIT ${MAX_TRAINING_TICKETS}`,
      [workspaceId],
    );
    return rows.map((row) => ({ text: `${row.subject}\n${row.body ?? ''}`, type: row.type, priority: row.priority, teamId: row.team_id, tags: row.tags }));
  }

  async firstMessage(manager: EntityManager, workspaceId: string, ticketId: string): Promise<string> {
    const [row] = await manager.query('SELECT body FROM ticket_messages WHERE workspace_id = $1 AND ticket_id = $2 ORDER BY sequence LIMIT 1', [workspaceId, ticketId]);
    return row?.body ?? '';
  }
}
