import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AgentsService } from '../../agents/agents.service';
import { Principal } from '../../auth/principal';
import { Clock } from '../../common/clock';
import { Forbidden, ResourceNotFound, TicketClosed, ValidationFailed } from '../../common/errors/domain-errors';
import { ContactsService } from '../../contacts/contacts.service';
import { TransactionRunner } from '../../database/transaction-runner';
import { AddCcByEmailInput, TicketView } from '../dto/ticket.dto';
import { TicketEntity } from '../entities/ticket.entity';
import { TicketHistory } from '../history/ticket-history';
import { TicketsRepository } from '../tickets.repository';
import { TicketParticipantsRepository } from './ticket-participants.repository';

type Participants = 'followers' | 'ccs';

/**
 * The agents following a ticket and the contacts copied on it (CCs). Each change is one transaction on the locked ticket
 * with a ticket.updated event whose changes hold the list before and after; adding someone already there, or removing
 * someone who is not, changes nothing and answers the ticket as it is.
 */
@Injectable()
export class TicketParticipantsService {
  constructor(
    private readonly transactions: TransactionRunner,
    private readonly tickets: TicketsRepository,
    private readonly participants: TicketParticipantsRepository,
    private readonly history: TicketHistory,
    private readonly agents: AgentsService,
    private readonly contacts: ContactsService,
    private readonly clock: Clock,
  ) {}

  follow(principal: Principal, ticketId: string, agentId: string): Promise<TicketView> {
    return this.changeFollowers(principal, ticketId, agentId, 'add');
  }

  unfollow(principal: Principal, ticketId: string, agentId: string): Promise<TicketView> {
    return this.changeFollowers(principal, ticketId, agentId, 'remove');
  }

  addCc(principal: Principal, ticketId: string, contactId: string): Promise<TicketView> {
    return this.transactions.run(async (manager) => {
      const ticket = await this.lockOpen(manager, principal, ticketId);
      await this.contacts.get(principal, contactId);
      if (contactId === ticket.requesterId) throw ValidationFailed.field('contactId', "is the ticket's requester, who gets every public reply already");
      return this.record(manager, principal, ticket, 'ccs', () => this.participants.addCcs(manager, principal.workspaceId, ticketId, [contactId]).then((added) => added.length > 0));
    });
  }

  /** A CC by email address: the contact is found case-insensitively, or created. */
  addCcByEmail(principal: Principal, ticketId: string, input: AddCcByEmailInput): Promise<TicketView> {
    return this.transactions.run(async (manager) => {
      const ticket = await this.lockOpen(manager, principal, ticketId);
      const contact = await this.contacts.findOrCreateRequester(principal, { email: input.email, name: input.name });
      if (contact.id === ticket.requesterId) throw ValidationFailed.field('email', "is the ticket's requester, who gets every public reply already");
      return this.record(manager, principal, ticket, 'ccs', () => this.participants.addCcs(manager, principal.workspaceId, ticketId, [contact.id]).then((added) => added.length > 0));
    });
  }

  removeCc(principal: Principal, ticketId: string, contactId: string): Promise<TicketView> {
    return this.transactions.run(async (manager) => {
      const ticket = await this.lockOpen(manager, principal, ticketId);
      return this.record(manager, principal, ticket, 'ccs', () => this.participants.removeCc(manager, principal.workspaceId, ticketId, contactId));
    });
  }

  /**
   * For the channels, inside their own transaction: contacts copied on an inbound email become CCs of its ticket (the
   * requester and contacts already there are skipped). Nothing is written for a closed ticket.
   */
  async addCcsFrom(manager: EntityManager, principal: Principal, ticketId: string, contactIds: string[]): Promise<void> {
    const ticket = await this.tickets.lock(manager, principal.workspaceId, ticketId);
    if (!ticket || ticket.status === 'closed') return;
    const wanted = contactIds.filter((id) => id !== ticket.requesterId);
    if (wanted.length === 0) return;
    await this.record(manager, principal, ticket, 'ccs', async () => (await this.participants.addCcs(manager, principal.workspaceId, ticketId, wanted)).length > 0);
  }

  /** Whether the contact is copied on the ticket (the portal lets CCs see and answer it). */
  isCc(principal: Principal, ticketId: string, contactId: string): Promise<boolean> {
    return this.participants.isCc(this.transactions.manager, principal.workspaceId, ticketId, contactId);
  }

  /** An agent may follow (or stop following) as themselves; an admin may add or remove anyone. */
  private changeFollowers(principal: Principal, ticketId: string, agentId: string, change: 'add' | 'remove'): Promise<TicketView> {
    return this.transactions.run(async (manager) => {
      const ticket = await this.lockOpen(manager, principal, ticketId);
      if (principal.role !== 'admin' && principal.agentId !== agentId) {
        throw new Forbidden('An agent may only add or remove themselves as a follower; an admin may add or remove anyone.');
      }
      await this.agents.get(principal, agentId);
      return this.record(manager, principal, ticket, 'followers', () =>
        change === 'add'
          ? this.participants.addFollower(manager, principal.workspaceId, ticketId, agentId)
          : this.participants.removeFollower(manager, principal.workspaceId, ticketId, agentId));
    });
  }

  private async lockOpen(manager: EntityManager, principal: Principal, ticketId: string): Promise<TicketEntity> {
    const ticket = await this.tickets.lock(manager, principal.workspaceId, ticketId);
    if (!ticket) throw new ResourceNotFound('ticket', ticketId);
    if (ticket.status === 'closed') throw new TicketClosed(Number(ticket.number));
    return ticket;
  }

  /** Applies the write; when it changed the list, bumps the ticket's version and records ticket.updated with the ids before and after. */
  private async record(manager: EntityManager, principal: Principal, ticket: TicketEntity, field: Participants, write: () => Promise<boolean>): Promise<TicketView> {
    const ids = () => (field === 'followers'
      ? this.participants.followerIds(manager, principal.workspaceId, ticket.id)
      : this.participants.ccIds(manager, principal.workspaceId, ticket.id));
    const before = await ids();
    if (!(await write())) return (await this.tickets.findView(manager, principal.workspaceId, ticket.id))!;
    const after = await ids();
    await this.tickets.update(manager, principal.workspaceId, ticket.id, { updatedAt: this.clock.now(), version: ticket.version + 1, lastEventSequence: ticket.lastEventSequence + 1 });
    const view = (await this.tickets.findView(manager, principal.workspaceId, ticket.id))!;
    const rewritten = await this.history.record(manager, principal, view, ticket.lastEventSequence + 1, [
      { type: 'ticket.updated', changes: { [field]: { before, after } } },
    ]);
    return rewritten ? (await this.tickets.findView(manager, principal.workspaceId, ticket.id))! : view;
  }
}
