import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';

/**
 * Read-only questions other modules ask of the tickets' tables (tickets, ticket_messages), answered here so that
 * their SQL stays with the module that owns those tables. Writes go through TicketsService and ConversationService.
 */
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

  /** A message's text and HTML, or null when it no longer exists. */
  async messageContent(manager: EntityManager, workspaceId: string, messageId: string): Promise<{ body: string; html: string | null } | null> {
    const [message]: Array<{ body: string; html: string | null }> = await manager.query(
      'SELECT body, html FROM ticket_messages WHERE workspace_id = $1 AND id = $2',
      [workspaceId, messageId],
    );
    return message ?? null;
  }
}
