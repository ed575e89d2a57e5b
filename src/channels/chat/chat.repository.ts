import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { EscalationView } from './chat.dto';

const ESCALATION_COLUMNS = `id, ticket_id AS "ticketId", platform, channel_id AS "channelId", thread_id AS "threadId", created_at AS "createdAt", updated_at AS "updatedAt"`;

/** Transcripts, chat-message links and escalations: each external id maps to what it became, exactly once. */
@Injectable()
export class ChatRepository {
  async transcript(manager: EntityManager, workspaceId: string, transcriptId: string): Promise<{ ticketId: string; messageId: string } | null> {
    const rows = await manager.query(
      `SELECT t.ticket_id AS "ticketId", m.id AS "messageId" FROM chat_transcripts t
         JOIN ticket_messages m ON m.workspace_id = t.workspace_id AND m.ticket_id = t.ticket_id AND m.sequence = 1
        WHERE t.workspace_id = $1 AND t.transcript_id = $2`,
      [workspaceId, transcriptId],
    );
    return rows[0] ?? null;
  }

  async insertTranscript(manager: EntityManager, workspaceId: string, row: { transcriptId: string; ticketId: string; metadata: Record<string, unknown>; startedAt: string; endedAt: string | null }): Promise<void> {
    await manager.query(
      'INSERT INTO chat_transcripts (workspace_id, transcript_id, ticket_id, metadata, started_at, ended_at) VALUES ($1, $2, $3, $4, $5, $6)',
      [workspaceId, row.transcriptId, row.ticketId, JSON.stringify(row.metadata), row.startedAt, row.endedAt],
    );
  }

  async link(manager: EntityManager, workspaceId: string, platform: string, messageId: string): Promise<{ ticketId: string; ticketMessageId: string } | null> {
    const rows = await manager.query(
      'SELECT ticket_id AS "ticketId", ticket_message_id AS "ticketMessageId" FROM chat_message_links WHERE workspace_id = $1 AND platform = $2 AND message_id = $3',
      [workspaceId, platform, messageId],
    );
    return rows[0] ?? null;
  }

  async insertLink(manager: EntityManager, workspaceId: string, row: { platform: string; messageId: string; kind: 'conversion' | 'thread_reply'; ticketId: string; ticketMessageId: string; channelId: string; threadId: string | null; permalink: string | null }): Promise<void> {
    await manager.query(
      `INSERT INTO chat_message_links (workspace_id, platform, message_id, kind, ticket_id, ticket_message_id, channel_id, thread_id, permalink)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [workspaceId, row.platform, row.messageId, row.kind, row.ticketId, row.ticketMessageId, row.channelId, row.threadId, row.permalink],
    );
  }

  async insertEscalation(manager: EntityManager, workspaceId: string, ticketId: string, platform: string, channelId: string): Promise<EscalationView> {
    const [row] = await manager.query(
      `INSERT INTO ticket_escalations (workspace_id, id, ticket_id, platform, channel_id) VALUES ($1, $2, $3, $4, $5) RETURNING ${ESCALATION_COLUMNS}`,
      [workspaceId, randomUUID(), ticketId, platform, channelId],
    );
    return row;
  }

  async setThread(manager: EntityManager, workspaceId: string, ticketId: string, id: string, threadId: string): Promise<EscalationView | null> {
    const [rows] = await manager.query(
      `UPDATE ticket_escalations SET thread_id = $4, updated_at = now() WHERE workspace_id = $1 AND ticket_id = $2 AND id = $3 RETURNING ${ESCALATION_COLUMNS}`,
      [workspaceId, ticketId, id, threadId],
    );
    return rows[0] ?? null;
  }

  async escalationOfThread(manager: EntityManager, workspaceId: string, platform: string, channelId: string, threadId: string): Promise<EscalationView | null> {
    const rows = await manager.query(
      `SELECT ${ESCALATION_COLUMNS} FROM ticket_escalations WHERE workspace_id = $1 AND platform = $2 AND channel_id = $3 AND thread_id = $4`,
      [workspaceId, platform, channelId, threadId],
    );
    return rows[0] ?? null;
  }
}
