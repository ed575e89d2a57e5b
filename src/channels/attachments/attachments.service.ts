import { Injectable } from '@nestjs/common';
import { Readable } from 'node:stream';
import { EntityManager } from 'typeorm';
import { Principal } from '../../auth/principal';
import { ResourceNotFound } from '../../common/errors/domain-errors';
import { TransactionRunner } from '../../database/transaction-runner';
import { MessageDetail, MessageDetailsSource } from '../../tickets/conversation/message-details';
import { EmailMessagesRepository } from '../email/email-messages.repository';
import { UploadsService } from '../uploads/uploads.service';
import { AttachmentsRepository, StoredAttachment } from './attachments.repository';
import { TicketReadModel } from '../../tickets/queries/ticket-read-model.queries';

export interface AttachmentDownload {
  fileName: string;
  contentType: string;
  /** Uploaded files stream from their store; inbound email attachments are in the row. */
  content: Buffer | Readable;
  size: number;
}

/** Attachments and delivery states shown on messages, and the downloads behind them. */
@Injectable()
export class MessageChannelDetails implements MessageDetailsSource {
  constructor(
    private readonly transactions: TransactionRunner,
    private readonly attachments: AttachmentsRepository,
    private readonly emails: EmailMessagesRepository,
    private readonly ticketReads: TicketReadModel,
    private readonly uploads: UploadsService,
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
    return { fileName: found.fileName, contentType: found.contentType, content: this.contentOf(principal.workspaceId, found), size: Number(found.size) };
  }

  /** The bytes of a stored attachment: from its row, or streamed from the upload that holds them. */
  contentOf(workspaceId: string, attachment: StoredAttachment): Buffer | Readable {
    if (attachment.content) return attachment.content;
    return this.uploads.open(workspaceId, attachment.upload!);
  }

  /** A message's attachments with their bytes, for the email that carries them (read when it is sent). */
  async filesOf(manager: EntityManager, workspaceId: string, messageId: string): Promise<AttachmentDownload[]> {
    const attachments = await this.attachments.contentsOf(manager, workspaceId, messageId);
    return attachments.map((attachment) => ({
      fileName: attachment.fileName, contentType: attachment.contentType, content: this.contentOf(workspaceId, attachment), size: Number(attachment.size),
    }));
  }

  async original(principal: Principal, ticketId: string, messageId: string): Promise<Buffer> {
    const raw = await this.emails.original(this.transactions.manager, principal.workspaceId, ticketId, messageId);
    if (!raw) throw new ResourceNotFound('original email of message', messageId);
    return raw;
  }
}
