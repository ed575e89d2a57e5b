import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { AgentsService } from '../agents/agents.service';
import { Principal } from '../auth/principal';
import { Clock } from '../common/clock';
import { ResourceNotFound, TicketClosed, InvalidTransition, ValidationFailed, VersionConflict } from '../common/errors/domain-errors';
import { Page } from '../common/pagination/cursor';
import { ContactsService } from '../contacts/contacts.service';
import { TransactionRunner } from '../database/transaction-runner';
import { TeamsService } from '../teams/teams.service';
import { AddMessageInput } from './dto/message.dto';
import { CreateTicketInput, TicketView, UpdateTicketInput } from './dto/ticket.dto';
import { DEFAULT_TICKET_SORT, ListTicketsQuery, TicketSort } from './dto/list-tickets.query';
import { TicketEntity } from './entities/ticket.entity';
import { TicketChange, TicketHistory, diff } from './history/ticket-history';
import {
  allowedNextStatuses, canTransition, statusAfterAssignment, statusAfterMessage,
} from './ticket-lifecycle';
import { ticketCursor, TicketsRepository } from './tickets.repository';
import { MessageWriter } from './conversation/message-writer';
import { ChangeOrigin, mergeCustomFields, NewTicketSpec, normaliseTags, TeamAssigneePicker, TicketChangeSet } from './ticket-change-set';

const UPDATABLE_FIELDS = ['subject', 'status', 'priority', 'type', 'tags', 'assigneeId', 'teamId', 'customFields'] as const;

/** The cursor that resumes list() in this sort (its default when absent) right after a ticket, for GraphQL edges. */
export function ticketListCursor(sort: TicketSort | undefined): (ticket: TicketView) => string {
  const resolved = sort ?? DEFAULT_TICKET_SORT;
  return (ticket) => ticketCursor(resolved, ticket);
}

@Injectable()
export class TicketsService {
  private assigneePicker: TeamAssigneePicker | null = null;

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
      const requester = await this.contacts.findOrCreateRequester(principal, input.requester);
      if (input.assigneeId) await this.assertAgent(principal, input.assigneeId, 'assigneeId');
      if (input.teamId) await this.teams.assertExists(principal, input.teamId, 'teamId');
      // A named assignee wins; otherwise the team's strategy picks one, under its rotation lock, in this transaction.
      const routed = !input.assigneeId && input.teamId ? await this.pickAssignee(manager, principal, input.teamId) : null;
      const ticket = await this.open(manager, principal, number, {
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
  ): Promise<TicketView> {
    const now = this.clock.now();
    const id = randomUUID();
    const status = statusAfterAssignment('new', spec.assigneeId);
    await manager.insert(TicketEntity, {
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
      customFields: spec.customFields as TicketEntity['customFields'],
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
    return rewritten ? (await this.repository.findView(manager, principal.workspaceId, id))! : view;
  }

  async update(principal: Principal, id: string, input: UpdateTicketInput, expectedVersion?: { raw: string; version: number }): Promise<TicketView> {
    return this.transactions.run((manager) =>
      this.applyChanges(manager, principal, id, {
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
   * The one way an existing ticket changes its fields, owner or gets helpdesk messages: PATCH, assign, macros and
   * automation rules all come through here, so they share the lifecycle rules and write one grouped set of events.
   * Runs in the caller's transaction; every check happens before the first write, so a rejected change writes nothing.
   */
  async applyChanges(
    manager: EntityManager,
    principal: Principal,
    id: string,
    input: TicketChangeSet,
    origin: ChangeOrigin,
    expectedVersion?: { raw: string; version: number },
  ): Promise<TicketView> {
    const ticket = await this.repository.lock(manager, principal.workspaceId, id);
    if (!ticket) throw new ResourceNotFound('ticket', id);
    if (expectedVersion && expectedVersion.version !== ticket.version) throw new VersionConflict(expectedVersion.raw, ticket.version);
    if (ticket.status === 'closed') throw new TicketClosed(Number(ticket.number));

    const before = { ...ticket };
    const statusChanges = input.status !== undefined && input.status !== before.status;
    if (statusChanges && !canTransition(before.status, input.status!)) throw new InvalidTransition(before.status, input.status!, allowedNextStatuses(before.status));
    if (input.subject !== undefined) ticket.subject = input.subject;
    if (input.priority !== undefined) ticket.priority = input.priority;
    if (input.type !== undefined) ticket.type = input.type;
    if (input.tags !== undefined) ticket.tags = normaliseTags(input.tags);
    if (input.addTags?.length) ticket.tags = normaliseTags([...ticket.tags, ...input.addTags]);
    if (input.removeTags?.length) {
      const removed = new Set(normaliseTags(input.removeTags));
      ticket.tags = ticket.tags.filter((tag) => !removed.has(tag));
    }
    if (input.customFields !== undefined) ticket.customFields = mergeCustomFields(ticket.customFields, input.customFields);
    if (input.teamId !== undefined && input.teamId !== ticket.teamId) {
      if (input.teamId !== null) await this.teams.assertExists(principal, input.teamId, 'teamId');
      ticket.teamId = input.teamId;
    }
    let strategy: string | undefined;
    if (input.assignee !== undefined) {
      let assigneeId: string | null;
      if ('agentId' in input.assignee) {
        assigneeId = input.assignee.agentId;
        if (assigneeId !== null && assigneeId !== ticket.assigneeId) await this.assertAgent(principal, assigneeId, 'assigneeId');
      } else {
        if (!ticket.teamId) throw ValidationFailed.field('teamId', 'the ticket has no team whose strategy could pick an agent');
        const pick = await this.pickAssignee(manager, principal, ticket.teamId);
        assigneeId = pick.agentId;
        strategy = pick.strategy;
      }
      if (assigneeId !== ticket.assigneeId) {
        ticket.assigneeId = assigneeId;
        ticket.status = statusAfterAssignment(ticket.status, ticket.assigneeId);
      }
    }
    if (statusChanges) ticket.status = input.status!;

    const now = this.clock.now();
    const events: TicketChange[] = [];
    const newMessages = input.messages ?? [];
    if (newMessages.length > 0) {
      const author = principal.agentId
        ? { type: 'agent' as const, id: principal.agentId, name: principal.actor.name }
        : { type: 'system' as const, id: principal.actor.id, name: principal.actor.name };
      for (const [index, message] of newMessages.entries()) {
        const effect = statusAfterMessage(ticket, 'helpdesk', message.visibility);
        if (!statusChanges) ticket.status = effect.status;
        if (effect.setFirstRespondedAt) ticket.firstRespondedAt = now;
        const written = await this.messages.insert(manager, principal.workspaceId, id, ticket.lastMessageSequence + index + 1, message, author, now);
        events.push({ type: 'ticket.message_created', data: { message: written, ...origin.data } });
      }
    }

    const changes = diff(before, ticket, [...UPDATABLE_FIELDS]);
    if (Object.keys(changes).length === 0 && newMessages.length === 0) return (await this.repository.findView(manager, principal.workspaceId, id))!;

    if (changes.status) {
      if (ticket.status === 'resolved') ticket.resolvedAt = now;
      else if (ticket.status !== 'closed') ticket.resolvedAt = null;
      if (ticket.status === 'closed') {
        ticket.closedAt = now;
        ticket.resolvedAt = ticket.resolvedAt ?? now;
      }
    }
    const grouped: TicketChange[] = [];
    if (Object.keys(changes).length > 0) grouped.push({ type: 'ticket.updated', changes, ...(origin.data ? { data: origin.data } : {}) });
    if (changes.status) grouped.push({ type: 'ticket.status_changed', changes: { status: changes.status }, ...(origin.data ? { data: origin.data } : {}) });
    if (changes.assigneeId) {
      const owners = await this.agents.findByIds(principal, [before.assigneeId, ticket.assigneeId].filter((owner): owner is string => owner !== null));
      const owner = (agentId: string | null) => (agentId ? { id: agentId, name: owners.get(agentId)?.name ?? null } : null);
      grouped.push({
        type: 'ticket.assigned',
        changes: { assigneeId: changes.assigneeId },
        data: { reason: origin.reason, previousAssignee: owner(before.assigneeId), assignee: owner(ticket.assigneeId), ...(strategy ? { strategy, teamId: ticket.teamId } : {}), ...origin.data },
      });
    }
    events.unshift(...grouped);
    const firstSequence = ticket.lastEventSequence + 1;
    await manager.update(TicketEntity, { workspaceId: principal.workspaceId, id }, {
      subject: ticket.subject,
      status: ticket.status,
      priority: ticket.priority,
      type: ticket.type,
      tags: ticket.tags,
      assigneeId: ticket.assigneeId,
      teamId: ticket.teamId,
      customFields: ticket.customFields,
      firstRespondedAt: ticket.firstRespondedAt,
      resolvedAt: ticket.resolvedAt,
      closedAt: ticket.closedAt,
      updatedAt: now,
      version: ticket.version + 1,
      lastMessageSequence: ticket.lastMessageSequence + newMessages.length,
      lastEventSequence: ticket.lastEventSequence + events.length,
    });
    const view = (await this.repository.findView(manager, principal.workspaceId, id))!;
    // Listeners (automation rules) may have changed the ticket again inside this transaction.
    const rewritten = await this.history.record(manager, principal, view, firstSequence, events);
    return rewritten ? (await this.repository.findView(manager, principal.workspaceId, id))! : view;
  }

  /** Lets the assignment module route tickets without the tickets module depending on it (it depends on us). */
  useAssigneePicker(picker: TeamAssigneePicker): void {
    this.assigneePicker = picker;
  }

  private pickAssignee(manager: EntityManager, principal: Principal, teamId: string): Promise<{ agentId: string | null; strategy: string }> {
    return this.assigneePicker ? this.assigneePicker.pick(manager, principal, teamId) : Promise.resolve({ agentId: null, strategy: 'manual' });
  }

  private async assertAgent(principal: Principal, agentId: string, field: string): Promise<void> {
    const found = await this.agents.findByIds(principal, [agentId]);
    if (!found.has(agentId)) throw ValidationFailed.field(field, `no agent with id ${agentId} exists in this workspace`);
  }
}
