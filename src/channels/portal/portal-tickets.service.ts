import { Injectable } from '@nestjs/common';
import { RateTicketInput, SatisfactionRatingView } from '../../satisfaction/dto/satisfaction.dto';
import { SatisfactionService } from '../../satisfaction/satisfaction.service';
import { ResourceNotFound, ValidationFailed } from '../../common/errors/domain-errors';
import { FieldsService } from '../../fields/fields.service';
import { visibleToRequesters } from '../../fields/field-rules';
import { Page } from '../../common/pagination/cursor';
import { TransactionRunner } from '../../database/transaction-runner';
import { parseSearchQuery } from '../../search/search-query';
import { SearchService } from '../../search/search.service';
import { ConversationService } from '../../tickets/conversation/conversation.service';
import { TicketView } from '../../tickets/dto/ticket.dto';
import { TicketsService } from '../../tickets/tickets.service';
import {
  PortalCreateTicketInput, PortalListTicketsQuery, PortalMessageInput, PortalMessageView, PortalPostedMessageView, PortalSearchHitView, PortalSearchQuery,
  PortalTicketView,
} from './dto/portal.dto';
import { actingAsRequester, PortalSession } from './portal-session';
import { fromPortalStatuses, toPortalMessage, toPortalTicket } from './portal-views';

/** A requester's own tickets, through the same ticket services agents use; anything not theirs is a 404. */
@Injectable()
export class PortalTicketsService {
  constructor(
    private readonly transactions: TransactionRunner,
    private readonly tickets: TicketsService,
    private readonly conversation: ConversationService,
    private readonly search: SearchService,
    private readonly satisfaction: SatisfactionService,
    private readonly fields: FieldsService,
  ) {}

  /** The portal's view of tickets: only the custom fields marked visible to requesters. */
  private async views(session: PortalSession, tickets: TicketView[]): Promise<PortalTicketView[]> {
    const definitions = await this.fields.definitions(session.workspaceId, 'ticket');
    return tickets.map((ticket) => toPortalTicket(ticket, visibleToRequesters(definitions, ticket.customFields)));
  }

  private async view(session: PortalSession, ticket: TicketView): Promise<PortalTicketView> {
    return (await this.views(session, [ticket]))[0];
  }

  async list(session: PortalSession, query: PortalListTicketsQuery): Promise<Page<PortalTicketView>> {
    // The list's q is agent search (it matches internal notes), so the portal offers none.
    // Their own tickets and the ones they are copied on (CC).
    const page = await this.tickets.listForParticipant(actingAsRequester(session), session.contactId, {
      status: query.status ? fromPortalStatuses(query.status) : undefined,
      limit: query.limit,
      cursor: query.cursor,
    });
    return { data: await this.views(session, page.data), nextCursor: page.nextCursor };
  }

  /**
   * The requester-facing search: their own tickets, public messages only. Qualifiers other than a ticket number or a
   * creation date would let a requester probe internal fields (tags, team, priority) of their tickets, so they are refused.
   */
  async searchOwn(session: PortalSession, query: PortalSearchQuery): Promise<Page<PortalSearchHitView>> {
    const internal = parseSearchQuery(query.q).filters.find((filter) => filter.kind !== 'number' && filter.kind !== 'created');
    if (internal) throw ValidationFailed.field('q', `the ${internal.kind}: qualifier is not available in the portal; use words, #number or created>date`);
    const page = await this.search.search(actingAsRequester(session), query, { kind: 'requester', contactId: session.contactId });
    const tickets = await this.views(session, page.data.map((hit) => hit.ticket));
    return { data: page.data.map((hit, index) => ({ ticket: tickets[index], highlights: hit.highlights })), nextCursor: page.nextCursor };
  }

  async get(session: PortalSession, id: string): Promise<PortalTicketView> {
    return this.view(session, await this.own(session, id, { orCc: true }));
  }

  async create(session: PortalSession, input: PortalCreateTicketInput): Promise<PortalTicketView> {
    const ticket = await this.tickets.create(actingAsRequester(session), {
      subject: input.subject,
      message: { body: input.message.body, html: input.message.html, attachments: input.message.attachments },
      requester: { id: session.contactId },
      channel: 'portal',
      customFields: input.customFields,
    });
    return this.view(session, ticket);
  }

  async listMessages(session: PortalSession, ticketId: string, page: { limit?: number; cursor?: string }): Promise<Page<PortalMessageView>> {
    await this.own(session, ticketId, { orCc: true });
    const messages = await this.conversation.listMessages(actingAsRequester(session), ticketId, { ...page, visibility: 'public' });
    return { data: messages.data.map(toPortalMessage), nextCursor: messages.nextCursor };
  }

  /** A requester message: reopens a pending or resolved ticket; on a closed one it starts a follow-up ticket. */
  async addMessage(session: PortalSession, ticketId: string, input: PortalMessageInput): Promise<PortalPostedMessageView> {
    // A CC answers too, recorded with them as the author.
    await this.own(session, ticketId, { orCc: true });
    const principal = actingAsRequester(session);
    const added = await this.conversation.addMessage(principal, ticketId, {
      body: input.body,
      html: input.html,
      visibility: 'public',
      authorContactId: session.contactId,
      attachments: input.attachments,
    });
    const ticket = await this.tickets.get(principal, added.followUpTicketId ?? ticketId);
    return { message: toPortalMessage(added.message), ticket: await this.view(session, ticket) };
  }

  async resolve(session: PortalSession, ticketId: string): Promise<PortalTicketView> {
    const principal = actingAsRequester(session);
    const ticket = await this.transactions.run(async (manager) => {
      await this.own(session, ticketId);
      return this.tickets.applyChanges(manager, principal, ticketId, { status: 'resolved' }, { reason: 'manual', data: { via: 'portal' } });
    });
    return this.view(session, ticket);
  }

  /** The requester rates a resolution of their own ticket, once per resolution. */
  async rate(session: PortalSession, ticketId: string, input: RateTicketInput): Promise<SatisfactionRatingView> {
    await this.own(session, ticketId);
    return this.satisfaction.rate(actingAsRequester(session), ticketId, input);
  }

  /** Fails as not found unless the ticket is the session requester's own or they are copied on it (CC). */
  async assertOwn(session: PortalSession, id: string): Promise<void> {
    await this.own(session, id, { orCc: true });
  }

  /** Resolving and rating stay with the requester; a CC reads and answers. */
  private async own(session: PortalSession, id: string, options: { orCc?: boolean } = {}): Promise<TicketView> {
    const ticket = await this.tickets.get(actingAsRequester(session), id);
    const visible = ticket.requester.id === session.contactId || (options.orCc === true && ticket.ccs.some((cc) => cc.id === session.contactId));
    // Another requester's ticket does not exist as far as this one can tell.
    if (!visible) throw new ResourceNotFound('ticket', id);
    return ticket;
  }
}
