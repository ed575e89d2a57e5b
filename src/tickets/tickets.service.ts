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
import { FieldsService, isRequester } from '../fields/fields.service';
import { TeamsService } from '../teams/teams.service';
import { AddMessageInput, MessageView } from './dto/message.dto';
import { CreateTicketInput, TicketView, UpdateTicketInput } from './dto/ticket.dto';
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
    private readonly clock: Clock,
    private readonly changeTicket: ChangeTicket,
    private readonly routing: AssigneeRouting,
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

  async listForRequester(principal: Principal, contactId: string, page: { limit?: number; cursor?: string }): Promise<Page<TicketView>> {
    await this.contacts.get(principal, contactId);
    return this.list(principal, { ...page, requesterId: contactId, sort: '-createdAt' });
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
        customFields: input.customFields ?? {},
        followUpOfId: null,
        assignmentReason: routed?.agentId ? 'strategy' : 'manual',
      }, { body: input.message.body, html: input.message.html, visibility: 'public' }, { type: 'contact', id: requester.id, name: requester.name ?? requester.email });
      return ticket;
    });
  }

  /** Inserts a ticket with its first message and history; used for new requests and for follow-ups of closed tickets. */
  async open(
    manager: EntityManager,
    principal: Principal,
    number: number,
    spec: NewTicketSpec,
    firstMessage: Pick<AddMessageInput, 'body' | 'html' | 'visibility'>,
    author: { type: 'contact' | 'agent' | 'system'; id: string | null; name: string | null },
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
      followUpOfId: spec.followUpOfId,
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
    const message = await this.messages.insert(manager, principal.workspaceId, id, 1, firstMessage, author, now);
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
        assignee: input.assigneeId === undefined ? undefined : { agentId: input.assigneeId },
      }, { reason: 'manual' }, expectedVersion),
    );
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
