import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Principal } from '../../auth/principal';
import { ResourceNotFound } from '../../common/errors/domain-errors';
import { TransactionRunner } from '../../database/transaction-runner';
import { MessageDetail, MessageDetailsSource } from '../../tickets/conversation/message-details';
import { EmailMessagesRepository } from '../email/email-messages.repository';
import { AttachmentsRepository } from './attachments.repository';
import { TicketReadModel } from '../../tickets/queries/ticket-read-model.queries';

export interface AttachmentDownload {
  fileName: string;
  contentType: string;
  content: Buffer;
}

/** Attachments and delivery states shown on messages, and the downloads behind them. */
@Injectable()
export class MessageChannelDetails implements MessageDetailsSource {
  constructor(
    private readonly transactions: TransactionRunner,
    private readonly attachments: AttachmentsRepository,
    private readonly emails: EmailMessagesRepository,
    private readonly ticketReads: TicketReadModel,
  ) {}

  async detailsOf(manager: EntityManager, workspaceId: string, messageIds: string[]): Promise<Map<string, MessageDetail>> {
    const [attachments, deliveries] = [await this.attachments.listFor(manager, workspaceId, messageIds), await this.emails.deliveries(manager, workspaceId, messageIds)];
    const details = new Map<string, MessageDetail>();
    const entry = (id: string) => details.get(id) ?? details.set(id, {}).get(id)!;
    for (const { messageId, ...attachment } of attachments) (entry(messageId).attachments ??= []).push(attachment);
    for (const delivery of deliveries) {
      entry(delivery.ticketMessageId).delivery = { channel: 'email', state: delivery.state, error: delivery.error, attempts: delivery.attempts, sentAt: delivery.sentAt };
    }
    return details;
  }

  /** Agents download any attachment of a ticket; the portal passes `publicOnly`, so internal notes' files stay internal. */
  async download(principal: Principal, ticketId: string, messageId: string, attachmentId: string, options: { publicOnly?: boolean } = {}): Promise<AttachmentDownload> {
    const manager = this.transactions.manager;
    if (options.publicOnly && !(await this.ticketReads.isPublicMessage(manager, principal.workspaceId, ticketId, messageId))) {
      throw new ResourceNotFound('attachment', attachmentId);
    }
    const found = await this.attachments.find(manager, principal.workspaceId, ticketId, messageId, attachmentId);
    if (!found) throw new ResourceNotFound('attachment', attachmentId);
    return { fileName: found.fileName, contentType: found.contentType, content: found.content };
  }

  async original(principal: Principal, ticketId: string, messageId: string): Promise<Buffer> {
    const raw = await this.emails.original(this.transactions.manager, principal.workspaceId, ticketId, messageId);
    if (!raw) throw new ResourceNotFound('original email of message', messageId);
    return raw;
  }
}
