import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { Principal } from '../../../auth/principal';
import { Clock } from '../../../common/clock';
import { Forbidden, ResourceNotFound, TicketClosed, ValidationFailed } from '../../../common/errors/domain-errors';
import { ContactsService } from '../../../contacts/contacts.service';
import { TransactionRunner } from '../../../database/transaction-runner';
import { MessageWriter } from '../../conversation/message-writer';
import { AddMessageInput, MessageView } from '../../dto/message.dto';
import { AuthorType, MessageVisibility } from '../../entities/ticket-message.entity';
import { TicketEntity } from '../../entities/ticket.entity';
import { TicketChange, TicketHistory } from '../../history/ticket-history';
import { TicketsRepository } from '../../tickets.repository';
import { TicketParticipantsRepository } from '../../participants/ticket-participants.repository';
import { TicketsService } from '../../tickets.service';
import { planMessage } from './plan-message';

/** The message that was added, and where: a requester writing on a closed ticket opens a follow-up ticket. */
export interface AddedMessage {
  message: MessageView;
  followUpTicketId: string | null;
}

type Author = { type: AuthorType; id: string | null; name: string | null };

/**
 * A reply, internal note or requester message on a ticket, in one transaction as check, plan, write and record. A
 * requester writing on a closed ticket opens a follow-up ticket instead.
 */
@Injectable()
export class AddMessage {
  constructor(
    private readonly transactions: TransactionRunner,
    private readonly dataSource: DataSource,
    private readonly repository: TicketsRepository,
    private readonly tickets: TicketsService,
    private readonly writer: MessageWriter,
    private readonly history: TicketHistory,
    private readonly contacts: ContactsService,
    private readonly clock: Clock,
    private readonly participants: TicketParticipantsRepository,
  ) {}

  async execute(principal: Principal, ticketId: string, input: AddMessageInput): Promise<AddedMessage> {
    const visibility = checkAuthorship(principal, input);
    const followUpNumber = await this.reserveFollowUpNumber(principal, ticketId, input);
    return this.transactions.run(async (manager): Promise<AddedMessage> => {
      const ticket = await this.repository.lock(manager, principal.workspaceId, ticketId);
      if (!ticket) throw new ResourceNotFound('ticket', ticketId);
      const author = await this.authorOf(manager, principal, ticket, input.authorContactId);
      if (ticket.status === 'closed') {
        if (author.type !== 'contact' || followUpNumber === null) throw new TicketClosed(Number(ticket.number));
        return this.openFollowUp(manager, principal, ticket, followUpNumber, input, author);
      }

      const now = this.clock.now();
      const plan = planMessage(ticket, author.type, visibility, now);
      const message = await this.writer.insert(manager, principal.workspaceId, ticket.id, plan.sequence, { ...input, visibility }, author, now, { principal, field: 'attachments' });
      const events: TicketChange[] = [{ type: 'ticket.message_created', data: { message } }];
      if (plan.statusChange) events.push({ type: 'ticket.status_changed', changes: plan.statusChange, data: { reason: 'message' } });
      await this.repository.update(manager, principal.workspaceId, ticket.id, {
        ...plan.row,
        updatedAt: now,
        version: ticket.version + 1,
        lastMessageSequence: plan.sequence,
        lastEventSequence: ticket.lastEventSequence + events.length,
      });

      const view = (await this.repository.findView(manager, principal.workspaceId, ticket.id))!;
      await this.history.record(manager, principal, view, ticket.lastEventSequence + 1, events);
      return { message, followUpTicketId: null };
    });
  }

  /**
   * A follow-up needs a ticket number, which is taken outside the transaction (a rollback leaves a gap); only fetch one
   * when it may be needed (a requester writing on a closed ticket). Otherwise the row lock is the only read.
   */
  private async reserveFollowUpNumber(principal: Principal, ticketId: string, input: AddMessageInput): Promise<number | null> {
    if (!input.authorContactId) return null;
    const status = await this.repository.statusOf(this.transactions.manager, principal.workspaceId, ticketId);
    if (!status) throw new ResourceNotFound('ticket', ticketId);
    return status === 'closed' ? this.repository.nextTicketNumber(this.dataSource.manager, principal.workspaceId) : null;
  }

  private async openFollowUp(manager: EntityManager, principal: Principal, closed: TicketEntity, number: number, input: AddMessageInput, author: Author): Promise<AddedMessage> {
    const followUp = await this.tickets.open(manager, principal, number, {
      subject: closed.subject,
      requesterId: closed.requesterId,
      priority: closed.priority,
      type: closed.type,
      channel: closed.channel,
      tags: closed.tags,
      assigneeId: null,
      teamId: closed.teamId,
      organizationId: closed.organizationId,
      customFields: closed.customFields,
      followUpOfId: closed.id,
    }, { body: input.body, html: input.html, visibility: 'public', attachments: input.attachments }, author, 'attachments');
    return { message: followUp.firstMessage, followUpTicketId: followUp.ticket.id };
  }

  private async authorOf(manager: EntityManager, principal: Principal, ticket: TicketEntity, authorContactId?: string): Promise<Author> {
    if (authorContactId) {
      // The requester, or a contact copied on the ticket (a CC's reply is recorded with them as its author).
      if (authorContactId !== ticket.requesterId && !(await this.participants.isCc(manager, principal.workspaceId, ticket.id, authorContactId))) {
        throw ValidationFailed.field('authorContactId', "must be the ticket's requester or one of its CCs");
      }
      const contact = await this.contacts.get(principal, authorContactId);
      return { type: 'contact', id: contact.id, name: contact.name ?? contact.email };
    }
    if (principal.agentId) return { type: 'agent', id: principal.agentId, name: principal.actor.name };
    // An integration's key with no agent behind it answers as the helpdesk itself.
    return { type: 'system', id: principal.actor.id, name: principal.actor.name };
  }
}

/** The check step before any read: only an admin key writes as the requester, and a requester writes no internal notes. */
export function checkAuthorship(principal: Principal, input: AddMessageInput): MessageVisibility {
  if (input.authorContactId && principal.role !== 'admin') {
    throw new Forbidden('Only an admin key may post on behalf of a requester (authorContactId).');
  }
  const visibility: MessageVisibility = input.visibility ?? 'public';
  if (input.authorContactId && visibility === 'internal') {
    throw ValidationFailed.field('visibility', 'a requester cannot write internal notes; omit visibility or use public');
  }
  return visibility;
}
