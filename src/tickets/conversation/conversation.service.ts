import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { Principal } from '../../auth/principal';
import { Clock } from '../../common/clock';
import { Forbidden, ResourceNotFound, TicketClosed, ValidationFailed } from '../../common/errors/domain-errors';
import { Page } from '../../common/pagination/cursor';
import { pageBySequence } from '../../common/pagination/keyset';
import { ContactsService } from '../../contacts/contacts.service';
import { TransactionRunner } from '../../database/transaction-runner';
import { AddMessageInput, MessageView } from '../dto/message.dto';
import { TicketEventView } from '../dto/ticket-event.dto';
import { AuthorType, MessageVisibility, TicketMessageEntity } from '../entities/ticket-message.entity';
import { TicketEntity } from '../entities/ticket.entity';
import { TicketChange, TicketHistory } from '../history/ticket-history';
import { statusAfterMessage } from '../ticket-lifecycle';
import { TicketsRepository } from '../tickets.repository';
import { TicketsService } from '../tickets.service';
import { MessageDetails } from './message-details';
import { MessageWriter, toMessageView } from './message-writer';

/** The message that was added, and where: a requester writing on a closed ticket opens a follow-up ticket. */
export interface AddedMessage {
  message: MessageView;
  followUpTicketId: string | null;
}

@Injectable()
export class ConversationService {
  constructor(
    private readonly transactions: TransactionRunner,
    private readonly dataSource: DataSource,
    private readonly repository: TicketsRepository,
    private readonly tickets: TicketsService,
    private readonly writer: MessageWriter,
    private readonly history: TicketHistory,
    private readonly contacts: ContactsService,
    private readonly details: MessageDetails,
    private readonly clock: Clock,
  ) {}

  async addMessage(principal: Principal, ticketId: string, input: AddMessageInput): Promise<AddedMessage> {
    if (input.authorContactId && principal.role !== 'admin') {
      throw new Forbidden('Only an admin key may post on behalf of a requester (authorContactId).');
    }
    const visibility: MessageVisibility = input.visibility ?? 'public';
    if (input.authorContactId && visibility === 'internal') {
      throw ValidationFailed.field('visibility', 'a requester cannot write internal notes; omit visibility or use public');
    }
    // A follow-up needs a ticket number, which is taken outside the transaction; only fetch one when it may be needed
    // (a requester writing on a closed ticket). Otherwise the row lock below is the only read.
    let followUpNumber: number | null = null;
    if (input.authorContactId) {
      const status = await this.repository.statusOf(this.transactions.manager, principal.workspaceId, ticketId);
      if (!status) throw new ResourceNotFound('ticket', ticketId);
      if (status === 'closed') followUpNumber = await this.repository.nextTicketNumber(this.dataSource.manager, principal.workspaceId);
    }

    const added = await this.transactions.run(async (manager): Promise<AddedMessage> => {
      const ticket = await this.repository.lock(manager, principal.workspaceId, ticketId);
      if (!ticket) throw new ResourceNotFound('ticket', ticketId);
      const author = await this.authorOf(principal, ticket, input.authorContactId);
      if (ticket.status === 'closed') {
        if (author.type !== 'contact' || followUpNumber === null) throw new TicketClosed(Number(ticket.number));
        const followUp = await this.tickets.open(manager, principal, followUpNumber, {
          subject: ticket.subject,
          requesterId: ticket.requesterId,
          priority: ticket.priority,
          type: ticket.type,
          channel: ticket.channel,
          tags: ticket.tags,
          assigneeId: null,
          teamId: ticket.teamId,
          customFields: ticket.customFields,
          followUpOfId: ticket.id,
        }, { body: input.body, html: input.html, visibility: 'public' }, author);
        const [first] = (await this.listMessages(principal, followUp.id, { limit: 1 })).data;
        return { message: first, followUpTicketId: followUp.id };
      }

      const now = this.clock.now();
      const effect = statusAfterMessage(ticket, author.type === 'contact' ? 'requester' : 'helpdesk', visibility);
      const sequence = ticket.lastMessageSequence + 1;
      const message = await this.writer.insert(manager, principal.workspaceId, ticket.id, sequence, { ...input, visibility }, author, now);
      const events: TicketChange[] = [{ type: 'ticket.message_created', data: { message } }];
      if (effect.status !== ticket.status) {
        events.push({ type: 'ticket.status_changed', changes: { status: { before: ticket.status, after: effect.status } }, data: { reason: 'message' } });
      }
      const firstSequence = ticket.lastEventSequence + 1;
      await manager.update(TicketEntity, { workspaceId: principal.workspaceId, id: ticket.id }, {
        status: effect.status,
        firstRespondedAt: effect.setFirstRespondedAt ? now : ticket.firstRespondedAt,
        resolvedAt: effect.status === 'open' && ticket.status === 'resolved' ? null : ticket.resolvedAt,
        updatedAt: now,
        version: ticket.version + 1,
        lastMessageSequence: sequence,
        lastEventSequence: ticket.lastEventSequence + events.length,
      });
      const view = (await this.repository.findView(manager, principal.workspaceId, ticket.id))!;
      await this.history.record(manager, principal, view, firstSequence, events);
      return { message, followUpTicketId: null };
    });
    // Filled after the change's listeners ran, so a reply queued for email shows its delivery state at once.
    const [message] = await this.details.fill(this.transactions.manager, principal.workspaceId, [added.message]);
    return { ...added, message };
  }

  /** For imported conversations (chat transcripts): each message keeps the time it was written, not the import's. */
  backdateMessages(manager: EntityManager, workspaceId: string, ticketId: string, times: Array<{ messageId: string; at: string }>): Promise<void> {
    return this.repository.backdateMessages(manager, workspaceId, ticketId, times);
  }

  async listMessages(
    principal: Principal,
    ticketId: string,
    page: { limit?: number; cursor?: string; visibility?: MessageVisibility },
  ): Promise<Page<MessageView>> {
    await this.assertTicket(principal, ticketId);
    const query = this.transactions.manager
      .createQueryBuilder(TicketMessageEntity, 'message')
      .where('message.workspace_id = :workspaceId AND message.ticket_id = :ticketId', { workspaceId: principal.workspaceId, ticketId });
    if (page.visibility) query.andWhere('message.visibility = :visibility', { visibility: page.visibility });
    const result = await pageBySequence(query, 'message', page);
    return { data: await this.details.fill(this.transactions.manager, principal.workspaceId, result.data.map(toMessageView)), nextCursor: result.nextCursor };
  }

  async listEvents(principal: Principal, ticketId: string, page: { limit?: number; cursor?: string }): Promise<Page<TicketEventView>> {
    await this.assertTicket(principal, ticketId);
    return this.history.list(this.transactions.manager, principal, ticketId, page);
  }

  /** Batched for GraphQL: message counts of many tickets in one query. */
  private async assertTicket(principal: Principal, ticketId: string): Promise<void> {
    const [row] = await this.transactions.manager.query('SELECT 1 FROM tickets WHERE workspace_id = $1 AND id = $2', [principal.workspaceId, ticketId]);
    if (!row) throw new ResourceNotFound('ticket', ticketId);
  }

  private async authorOf(principal: Principal, ticket: TicketEntity, authorContactId?: string): Promise<{ type: AuthorType; id: string | null; name: string | null }> {
    if (authorContactId) {
      if (authorContactId !== ticket.requesterId) {
        throw ValidationFailed.field('authorContactId', "must be the ticket's requester");
      }
      const contact = await this.contacts.get(principal, authorContactId);
      return { type: 'contact', id: contact.id, name: contact.name ?? contact.email };
    }
    if (principal.agentId) return { type: 'agent', id: principal.agentId, name: principal.actor.name };
    // An integration's key with no agent behind it answers as the helpdesk itself.
    return { type: 'system', id: principal.actor.id, name: principal.actor.name };
  }
}
