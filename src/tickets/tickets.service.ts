import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { AgentsService } from '../agents/agents.service';
import { Principal } from '../auth/principal';
import { ResourceNotFound, TicketClosed, InvalidTransition, ValidationFailed, VersionConflict } from '../common/errors/domain-errors';
import { Page } from '../common/pagination/cursor';
import { ContactsService } from '../contacts/contacts.service';
import { TransactionRunner } from '../database/transaction-runner';
import { TeamsService } from '../teams/teams.service';
import { AddMessageInput } from './dto/message.dto';
import { CreateTicketInput, TicketView, UpdateTicketInput } from './dto/ticket.dto';
import { ListTicketsQuery } from './dto/list-tickets.query';
import { TicketEntity } from './entities/ticket.entity';
import { TicketChange, TicketHistory, diff } from './history/ticket-history';
import { allowedNextStatuses, canTransition, statusAfterAssignment, TicketChannel, TicketPriority, TicketType } from './ticket-lifecycle';
import { TicketListFilter, TicketsRepository } from './tickets.repository';
import { MessageWriter } from './conversation/message-writer';

export function normaliseTags(tags: string[]): string[] {
  return [...new Set(tags.map((tag) => tag.trim().toLowerCase()).filter(Boolean))];
}

/** JSON merge patch (RFC 7396) for one level of custom fields: null removes a key. */
function mergeCustomFields(current: Record<string, unknown>, patch: Record<string, unknown>): Record<string, unknown> {
  const merged = { ...current };
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete merged[key];
    else merged[key] = value;
  }
  return merged;
}

export interface NewTicketSpec {
  subject: string;
  requesterId: string;
  priority: TicketPriority;
  type: TicketType | null;
  channel: TicketChannel;
  tags: string[];
  assigneeId: string | null;
  teamId: string | null;
  customFields: Record<string, unknown>;
  followUpOfId: string | null;
}

const UPDATABLE_FIELDS = ['subject', 'status', 'priority', 'type', 'tags', 'assigneeId', 'teamId', 'customFields'] as const;

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
  ) {}

  async get(principal: Principal, id: string): Promise<TicketView> {
    const ticket = await this.repository.findView(this.transactions.manager, principal.workspaceId, id);
    if (!ticket) throw new ResourceNotFound('ticket', id);
    return ticket;
  }

  list(principal: Principal, query: ListTicketsQuery): Promise<Page<TicketView>> {
    const { limit, cursor, sort, ...filter } = query;
    return this.repository.list(this.transactions.manager, principal.workspaceId, filter as TicketListFilter, {
      sort: sort ?? '-createdAt',
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
      const ticket = await this.open(manager, principal, number, {
        subject: input.subject,
        requesterId: requester.id,
        priority: input.priority ?? 'normal',
        type: input.type ?? null,
        channel: input.channel ?? 'api',
        tags: normaliseTags(input.tags ?? []),
        assigneeId: input.assigneeId ?? null,
        teamId: input.teamId ?? null,
        customFields: input.customFields ?? {},
        followUpOfId: null,
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
    const now = new Date();
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
      changes.push({ type: 'ticket.assigned', changes: { assigneeId: { before: null, after: spec.assigneeId } }, data: { reason: 'manual' } });
    }
    await this.history.record(manager, principal, view, 1, changes);
    return view;
  }

  async update(principal: Principal, id: string, input: UpdateTicketInput, expectedVersion?: { raw: string; version: number }): Promise<TicketView> {
    return this.transactions.run(async (manager) => {
      const ticket = await this.repository.lock(manager, principal.workspaceId, id);
      if (!ticket) throw new ResourceNotFound('ticket', id);
      if (expectedVersion && expectedVersion.version !== ticket.version) throw new VersionConflict(expectedVersion.raw, ticket.version);
      if (ticket.status === 'closed') throw new TicketClosed(Number(ticket.number));

      const before = { ...ticket };
      if (input.subject !== undefined) ticket.subject = input.subject;
      if (input.priority !== undefined) ticket.priority = input.priority;
      if (input.type !== undefined) ticket.type = input.type;
      if (input.tags !== undefined) ticket.tags = normaliseTags(input.tags);
      if (input.customFields !== undefined) ticket.customFields = mergeCustomFields(ticket.customFields, input.customFields);
      if (input.teamId !== undefined && input.teamId !== ticket.teamId) {
        if (input.teamId !== null) await this.teams.assertExists(principal, input.teamId, 'teamId');
        ticket.teamId = input.teamId;
      }
      if (input.assigneeId !== undefined && input.assigneeId !== ticket.assigneeId) {
        if (input.assigneeId !== null) await this.assertAgent(principal, input.assigneeId, 'assigneeId');
        ticket.assigneeId = input.assigneeId;
        ticket.status = statusAfterAssignment(ticket.status, ticket.assigneeId);
      }
      if (input.status !== undefined && input.status !== before.status) {
        if (!canTransition(before.status, input.status)) throw new InvalidTransition(before.status, input.status, allowedNextStatuses(before.status));
        ticket.status = input.status;
      }
      const changes = diff(before, ticket, [...UPDATABLE_FIELDS]);
      if (Object.keys(changes).length === 0) return (await this.repository.findView(manager, principal.workspaceId, id))!;

      const now = new Date();
      if (changes.status) {
        if (ticket.status === 'resolved') ticket.resolvedAt = now;
        else if (ticket.status !== 'closed') ticket.resolvedAt = null;
        if (ticket.status === 'closed') {
          ticket.closedAt = now;
          ticket.resolvedAt = ticket.resolvedAt ?? now;
        }
      }
      const events: TicketChange[] = [{ type: 'ticket.updated', changes }];
      if (changes.status) events.push({ type: 'ticket.status_changed', changes: { status: changes.status } });
      if (changes.assigneeId) events.push({ type: 'ticket.assigned', changes: { assigneeId: changes.assigneeId }, data: { reason: 'manual' } });
      const firstSequence = ticket.lastEventSequence + 1;
      await manager.update(TicketEntity, { workspaceId: principal.workspaceId, id }, {
        subject: ticket.subject,
        status: ticket.status,
        priority: ticket.priority,
        type: ticket.type,
        tags: ticket.tags,
        assigneeId: ticket.assigneeId,
        teamId: ticket.teamId,
        customFields: ticket.customFields as TicketEntity['customFields'],
        resolvedAt: ticket.resolvedAt,
        closedAt: ticket.closedAt,
        updatedAt: now,
        version: ticket.version + 1,
        lastEventSequence: ticket.lastEventSequence + events.length,
      });
      const view = (await this.repository.findView(manager, principal.workspaceId, id))!;
      await this.history.record(manager, principal, view, firstSequence, events);
      return view;
    });
  }

  private async assertAgent(principal: Principal, agentId: string, field: string): Promise<void> {
    const found = await this.agents.findByIds(principal, [agentId]);
    if (!found.has(agentId)) throw ValidationFailed.field(field, `no agent with id ${agentId} exists in this workspace`);
  }
}
