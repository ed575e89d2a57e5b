import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { AgentsService } from '../agents/agents.service';
import { Principal } from '../auth/principal';
import { Clock } from '../common/clock';
import { ResourceNotFound } from '../common/errors/domain-errors';
import { Page } from '../common/pagination/cursor';
import { ContactsService } from '../contacts/contacts.service';
import { TransactionRunner } from '../database/transaction-runner';
import { OrganizationsService } from '../organizations/organizations.service';
import { FieldsService, isRequester } from '../fields/fields.service';
import { TeamsService } from '../teams/teams.service';
import { AddMessageInput, MessageView } from './dto/message.dto';
import { CreateTicketInput, MergeTicketsInput, TicketView, UpdateTicketInput } from './dto/ticket.dto';
import { MergeTickets } from './use-cases/merge-tickets/merge-tickets';
import { DEFAULT_TICKET_SORT, ListTicketsQuery, TicketSort } from './dto/list-tickets.query';
import { TicketChange, TicketHistory } from './history/ticket-history';
import { statusAfterAssignment } from './ticket-lifecycle';
import { AssigneeRouting } from './assignee-routing';
import { ChangeTicket, assertAgent } from './use-cases/change-ticket/change-ticket';
import { ExpectedVersion } from './use-cases/change-ticket/check-ticket-change';
import { ticketCursor, TicketsRepository } from './tickets.repository';
import { MessageWriter } from './conversation/message-writer';
import { ChangeOrigin, NewTicketSpec, normaliseTags, TeamAssigneePicker, TicketChangeSet } from './ticket-change-set';

/** The cursor that resumes list() in this sort (its default when absent) right after a ticket, for GraphQL edges. */
export function ticketListCursor(sort: TicketSort | undefined): (ticket: TicketView) => string {
  const resolved = sort ?? DEFAULT_TICKET_SORT;
  return (ticket) => ticketCursor(resolved, ticket);
}

@Injectable()
export class TicketsService {
  constructor(
    private readonly transactions: TransactionRunner,
    private readonly dataSource: DataSource,
    private readonly repository: TicketsRepository,
    private readonly history: TicketHistory,
    private readonly messages: MessageWriter,
    private readonly contacts: ContactsService,
    private readonly agents: AgentsService,
    private readonly teams: TeamsService,
    private readonly organizations: OrganizationsService,
    private readonly clock: Clock,
    private readonly changeTicket: ChangeTicket,
    private readonly routing: AssigneeRouting,
    private readonly mergeTickets: MergeTickets,
    private readonly fields: FieldsService,
  ) {}

  async get(principal: Principal, id: string): Promise<TicketView> {
    const ticket = await this.repository.findView(this.transactions.manager, principal.workspaceId, id);
    if (!ticket) throw new ResourceNotFound('ticket', id);
    return ticket;
  }

  list(principal: Principal, query: ListTicketsQuery): Promise<Page<TicketView>> {
    const { limit, cursor, sort, ...filter } = query;
    return this.repository.list(this.transactions.manager, principal.workspaceId, filter, {
      sort: sort ?? DEFAULT_TICKET_SORT,
      limit: limit ?? 25,
      cursor,
    });
  }

  /**
   * For saved views: how many tickets match each list filter (as list() reads it), exact up to `cap`; above it the
   * count is cap + 1. One query for all of them.
   */
  countMatching(principal: Principal, filters: Array<Omit<ListTicketsQuery, 'limit' | 'cursor' | 'sort'>>, cap: number): Promise<number[]> {
    return this.repository.countUpTo(this.transactions.manager, principal.workspaceId, filters, cap);
  }

  /** The tags on tickets that are not closed, by prefix, with the number of unresolved tickets carrying each. */
  tagCounts(principal: Principal, prefix: string, limit: number): Promise<Array<{ tag: string; openTickets: number }>> {
    return this.repository.tagCounts(this.transactions.manager, principal.workspaceId, prefix, limit);
  }

  /** For tag renames, in the caller's transaction: the next batch of tickets (not closed) carrying the tag. */
  ticketIdsCarryingTag(manager: EntityManager, principal: Principal, tag: string, afterId: string | null, limit: number): Promise<string[]> {
    return this.repository.idsCarryingTag(manager, principal.workspaceId, tag, afterId, limit);
  }

  async listForRequester(principal: Principal, contactId: string, page: { limit?: number; cursor?: string }): Promise<Page<TicketView>> {
    await this.contacts.get(principal, contactId);
    return this.list(principal, { ...page, requesterId: contactId, sort: '-createdAt' });
  }

  /** The tickets a contact is the requester of or copied on (CC), newest first: what the portal lists. */
  listForParticipant(principal: Principal, contactId: string, query: { status?: ListTicketsQuery['status']; limit?: number; cursor?: string }): Promise<Page<TicketView>> {
    return this.repository.list(this.transactions.manager, principal.workspaceId, { status: query.status, participantId: contactId }, {
      sort: '-createdAt',
      limit: query.limit ?? 25,
      cursor: query.cursor,
    });
  }

  /** GET /v1/organizations/:id/tickets: 404 for an organization of another workspace. */
  async listForOrganization(principal: Principal, organizationId: string, page: { limit?: number; cursor?: string }): Promise<Page<TicketView>> {
    await this.organizations.get(principal, organizationId);
    return this.list(principal, { ...page, organizationId, sort: '-createdAt' });
  }

  async create(principal: Principal, input: CreateTicketInput): Promise<TicketView> {
    const number = await this.repository.nextTicketNumber(this.dataSource.manager, principal.workspaceId);
    return this.transactions.run(async (manager) => {
      await this.fields.validate(principal.workspaceId, 'ticket', input.customFields ?? {}, { requester: isRequester(principal) });
      const requester = await this.contacts.findOrCreateRequester(principal, input.requester);
      if (input.assigneeId) await assertAgent(this.agents, principal, input.assigneeId, 'assigneeId');
      if (input.teamId) await this.teams.assertExists(principal, input.teamId, 'teamId');
      // A named assignee wins; otherwise the team's strategy picks one, under its rotation lock, in this transaction.
      const routed = !input.assigneeId && input.teamId ? await this.routing.pick(manager, principal, input.teamId) : null;
      const { ticket } = await this.open(manager, principal, number, {
        subject: input.subject,
        requesterId: requester.id,
        priority: input.priority ?? 'normal',
        type: input.type ?? null,
        channel: input.channel ?? 'api',
        tags: normaliseTags(input.tags ?? []),
        assigneeId: input.assigneeId ?? routed?.agentId ?? null,
        teamId: input.teamId ?? null,
        organizationId: requester.organizationId,
        customFields: input.customFields ?? {},
        followUpOfId: null,
        assignmentReason: routed?.agentId ? 'strategy' : 'manual',
      }, { body: input.message.body, html: input.message.html, visibility: 'public', attachments: input.message.attachments }, { type: 'contact', id: requester.id, name: requester.name ?? requester.email });
      return ticket;
    });
  }

  /** Inserts a ticket with its first message and history; used for new requests and for follow-ups of closed tickets. */
  async open(
    manager: EntityManager,
    principal: Principal,
    number: number,
    spec: NewTicketSpec,
    firstMessage: Pick<AddMessageInput, 'body' | 'html' | 'visibility' | 'attachments'>,
    author: { type: 'contact' | 'agent' | 'system'; id: string | null; name: string | null },
    attachmentsField = 'message.attachments',
  ): Promise<{ ticket: TicketView; firstMessage: MessageView }> {
    const now = this.clock.now();
    const id = randomUUID();
    const status = statusAfterAssignment('new', spec.assigneeId);
    await this.repository.insert(manager, {
      workspaceId: principal.workspaceId,
      id,
      number: String(number),
      subject: spec.subject,
      status,
      priority: spec.priority,
      type: spec.type,
      tags: spec.tags,
      channel: spec.channel,
      requesterId: spec.requesterId,
      assigneeId: spec.assigneeId,
      teamId: spec.teamId,
      organizationId: spec.organizationId,
      followUpOfId: spec.followUpOfId,
      mergedIntoId: null,
      customFields: spec.customFields,
      createdAt: now,
      updatedAt: now,
      firstRespondedAt: null,
      resolvedAt: null,
      closedAt: null,
      version: 1,
      lastMessageSequence: 1,
      lastEventSequence: spec.assigneeId ? 3 : 2,
    });
    const message = await this.messages.insert(manager, principal.workspaceId, id, 1, firstMessage, author, now, { principal, field: attachmentsField });
    const view = (await this.repository.findView(manager, principal.workspaceId, id))!;
    const changes: TicketChange[] = [
      { type: 'ticket.created', data: spec.followUpOfId ? { followUpOfId: spec.followUpOfId } : {} },
      { type: 'ticket.message_created', data: { message } },
    ];
    if (spec.assigneeId) {
      changes.push({
        type: 'ticket.assigned',
        changes: { assigneeId: { before: null, after: spec.assigneeId } },
        data: { reason: spec.assignmentReason ?? 'manual', previousAssignee: null, assignee: view.assignee },
      });
    }
    // Listeners (automation rules) may have changed the new ticket inside this transaction; the SLA listener only
    // brings the view's SLA up to date, which needs no second read.
    const rewritten = await this.history.record(manager, principal, view, 1, changes);
    return { ticket: rewritten ? (await this.repository.findView(manager, principal.workspaceId, id))! : view, firstMessage: message };
  }

  async update(principal: Principal, id: string, input: UpdateTicketInput, expectedVersion?: ExpectedVersion): Promise<TicketView> {
    return this.transactions.run((manager) =>
      this.changeTicket.execute(manager, principal, id, {
        subject: input.subject,
        status: input.status,
        priority: input.priority,
        type: input.type,
        tags: input.tags,
        customFields: input.customFields,
        teamId: input.teamId,
        organizationId: input.organizationId,
        assignee: input.assigneeId === undefined ? undefined : { agentId: input.assigneeId },
      }, { reason: 'manual' }, expectedVersion),
    );
  }

  /** Merges the source tickets into this one (use-cases/merge-tickets), in one transaction. */
  merge(principal: Principal, id: string, input: MergeTicketsInput): Promise<TicketView> {
    return this.mergeTickets.execute(principal, id, input);
  }

  /**
   * The one way an existing ticket changes its fields, owner or gets helpdesk messages (use-cases/change-ticket), for
   * the modules that change tickets inside their own transaction: assign, macros, automation rules, the portal.
   */
  applyChanges(
    manager: EntityManager,
    principal: Principal,
    id: string,
    input: TicketChangeSet,
    origin: ChangeOrigin,
    expectedVersion?: ExpectedVersion,
  ): Promise<TicketView> {
    return this.changeTicket.execute(manager, principal, id, input, origin, expectedVersion);
  }

  /** For the SLA clocks: their earliest due time, kept on the ticket row in the clocks' transaction. */
  recordSlaNextDue(manager: EntityManager, workspaceId: string, ticketId: string, nextDueAt: Date | null): Promise<void> {
    return this.repository.setSlaNextDueAt(manager, workspaceId, ticketId, nextDueAt);
  }

  /** Lets the assignment module route tickets without the tickets module depending on it (it depends on us). */
  useAssigneePicker(picker: TeamAssigneePicker): void {
    this.routing.use(picker);
  }
}
