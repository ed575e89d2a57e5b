import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { EntityManager } from 'typeorm';
import { MessageDeliveryState } from '../../tickets/dto/message.dto';

/** What we keep of every email, whichever way it went: enough to thread replies by Message-ID. */
interface EmailRecord {
  workspaceId: string;
  messageId: string;
  ticketId: string;
  ticketMessageId: string;
  mailboxId: string | null;
  inReplyTo: string | null;
  references: string[];
  fromAddress: string | null;
  toAddresses: string[];
}

export interface InboundEmailRecord extends EmailRecord {
  subject: string | null;
  raw: Buffer;
  fullText: string;
}

export interface OutboundEmailRecord extends EmailRecord {
  subject: string;
  ccAddresses: string[];
}

export interface ClaimedEmail {
  workspaceId: string;
  id: string;
  messageId: string;
  ticketMessageId: string;
  mailboxId: string | null;
  inReplyTo: string | null;
  references: string[];
  toAddresses: string[];
  ccAddresses: string[];
  subject: string;
  attemptCount: number;
  leaseToken: string;
}

export interface DeliveryRow {
  ticketMessageId: string;
  state: MessageDeliveryState;
  error: string | null;
  attempts: number;
  sentAt: Date | null;
}

/** Every email that is part of a conversation: the Message-ID index threading relies on, and the outbound queue. */
@Injectable()
export class EmailMessagesRepository {
  async findByMessageId(manager: EntityManager, workspaceId: string, messageId: string): Promise<{ ticketId: string; ticketMessageId: string } | null> {
    const rows = await manager.query(
      'SELECT ticket_id AS "ticketId", ticket_message_id AS "ticketMessageId" FROM email_messages WHERE workspace_id = $1 AND message_id = $2',
      [workspaceId, messageId],
    );
    return rows[0] ?? null;
  }

  /** The ticket the newest of these Message-IDs belongs to: the reply names the message it answers last in References. */
  async ticketOfThread(manager: EntityManager, workspaceId: string, messageIds: string[]): Promise<string | null> {
    if (messageIds.length === 0) return null;
    const rows: Array<{ ticket_id: string }> = await manager.query(
      `SELECT ticket_id FROM email_messages WHERE workspace_id = $1 AND message_id = ANY($2) ORDER BY created_at DESC LIMIT 1`,
      [workspaceId, messageIds],
    );
    return rows[0]?.ticket_id ?? null;
  }

  async insertInbound(manager: EntityManager, record: InboundEmailRecord): Promise<void> {
    await manager.query(
      `INSERT INTO email_messages (workspace_id, id, message_id, direction, ticket_id, ticket_message_id, mailbox_id, in_reply_to, "references",
         from_address, to_addresses, subject, raw, full_text)
       VALUES ($1, $2, $3, 'inbound', $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
      [record.workspaceId, randomUUID(), record.messageId, record.ticketId, record.ticketMessageId, record.mailboxId, record.inReplyTo, record.references,
        record.fromAddress, record.toAddresses, record.subject, record.raw, record.fullText],
    );
  }

  async insertOutbound(manager: EntityManager, record: OutboundEmailRecord): Promise<void> {
    await manager.query(
      `INSERT INTO email_messages (workspace_id, id, message_id, direction, ticket_id, ticket_message_id, mailbox_id, in_reply_to, "references",
         from_address, to_addresses, cc_addresses, subject, delivery_state, next_attempt_at)
       VALUES ($1, $2, $3, 'outbound', $4, $5, $6, $7, $8, $9, $10, $11, $12, 'queued', now())`,
      [record.workspaceId, randomUUID(), record.messageId, record.ticketId, record.ticketMessageId, record.mailboxId, record.inReplyTo, record.references,
        record.fromAddress, record.toAddresses, record.ccAddresses, record.subject],
    );
  }

  /** The mailbox a ticket's mail goes through and the thread so far, oldest first. */
  async threadOf(manager: EntityManager, workspaceId: string, ticketId: string): Promise<{ mailboxId: string | null; messageIds: string[]; lastInbound: string | null }> {
    const rows: Array<{ message_id: string; direction: string; mailbox_id: string | null }> = await manager.query(
      'SELECT message_id, direction, mailbox_id FROM email_messages WHERE workspace_id = $1 AND ticket_id = $2 ORDER BY created_at, id',
      [workspaceId, ticketId],
    );
    const withMailbox = rows.filter((row) => row.mailbox_id);
    const inbound = rows.filter((row) => row.direction === 'inbound');
    return {
      mailboxId: withMailbox[withMailbox.length - 1]?.mailbox_id ?? null,
      messageIds: rows.map((row) => row.message_id),
      lastInbound: inbound[inbound.length - 1]?.message_id ?? null,
    };
  }

  async original(manager: EntityManager, workspaceId: string, ticketId: string, ticketMessageId: string): Promise<Buffer | null> {
    const rows: Array<{ raw: Buffer }> = await manager.query(
      `SELECT raw FROM email_messages WHERE workspace_id = $1 AND ticket_id = $2 AND ticket_message_id = $3 AND raw IS NOT NULL`,
      [workspaceId, ticketId, ticketMessageId],
    );
    return rows[0]?.raw ?? null;
  }

  async deliveries(manager: EntityManager, workspaceId: string, ticketMessageIds: string[]): Promise<DeliveryRow[]> {
    return manager.query(
      `SELECT ticket_message_id AS "ticketMessageId", delivery_state AS state, delivery_error AS error, attempt_count AS attempts, sent_at AS "sentAt"
         FROM email_messages WHERE workspace_id = $1 AND ticket_message_id = ANY($2) AND direction = 'outbound'`,
      [workspaceId, ticketMessageIds],
    );
  }

  /** Claims due queued mail with a lease; SKIP LOCKED lets every instance's worker take its own share. */
  async claim(manager: EntityManager, limit: number, leaseMs: number): Promise<ClaimedEmail[]> {
    const [rows]: [ClaimedEmail[], number] = await manager.query(
      `WITH due AS (
         SELECT workspace_id, id FROM email_messages
          WHERE delivery_state = 'queued' AND next_attempt_at <= now()
          ORDER BY next_attempt_at LIMIT $1 FOR UPDATE SKIP LOCKED
       )
       UPDATE email_messages e SET next_attempt_at = now() + make_interval(secs => $2::double precision / 1000), lease_token = gen_random_uuid()
         FROM due WHERE e.workspace_id = due.workspace_id AND e.id = due.id
       RETURNING e.workspace_id AS "workspaceId", e.id, e.message_id AS "messageId", e.ticket_message_id AS "ticketMessageId", e.mailbox_id AS "mailboxId",
                 e.in_reply_to AS "inReplyTo", e."references", e.to_addresses AS "toAddresses", e.cc_addresses AS "ccAddresses", e.subject, e.attempt_count AS "attemptCount", e.lease_token AS "leaseToken"`,
      [limit, leaseMs],
    );
    return rows;
  }

  /** Settles an attempt, unless the lease ran out and another worker took the message over. */
  async settle(manager: EntityManager, email: ClaimedEmail, outcome: { state: MessageDeliveryState; error: string | null; retryInMs?: number }): Promise<void> {
    await manager.query(
      `UPDATE email_messages SET delivery_state = $4, delivery_error = $5, attempt_count = attempt_count + 1, lease_token = NULL,
         sent_at = CASE WHEN $4 = 'sent' THEN now() ELSE sent_at END,
         next_attempt_at = CASE WHEN $4 = 'queued' THEN now() + make_interval(secs => $6::double precision / 1000) ELSE NULL END
       WHERE workspace_id = $1 AND id = $2 AND lease_token = $3`,
      [email.workspaceId, email.id, email.leaseToken, outcome.state, outcome.error, outcome.retryInMs ?? 0],
    );
  }

  /** Wakes the mail workers of every instance once the transaction commits (NOTIFY is transactional). */
  async wakeMailWorkers(manager: EntityManager, workspaceId: string): Promise<void> {
    await manager.query(`SELECT pg_notify('deskline_mail', $1)`, [workspaceId]);
  }

  /** Subscribes a dedicated connection to those wake-ups. */
  async listenForMail(client: Client): Promise<void> {
    await client.query('LISTEN deskline_mail');
  }
}
