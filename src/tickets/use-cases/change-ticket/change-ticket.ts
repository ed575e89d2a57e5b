import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AgentsService } from '../../../agents/agents.service';
import { Principal } from '../../../auth/principal';
import { Clock } from '../../../common/clock';
import { ValidationFailed } from '../../../common/errors/domain-errors';
import { OrganizationsService } from '../../../organizations/organizations.service';
import { FieldsService, isRequester } from '../../../fields/fields.service';
import { TeamsService } from '../../../teams/teams.service';
import { AssigneeRouting } from '../../assignee-routing';
import { MessageWriter } from '../../conversation/message-writer';
import { TicketView } from '../../dto/ticket.dto';
import { TicketEntity } from '../../entities/ticket.entity';
import { TicketChange, TicketHistory } from '../../history/ticket-history';
import { ChangeOrigin, TicketChangeSet } from '../../ticket-change-set';
import { TicketsRepository } from '../../tickets.repository';
import { checkTicketChange, ExpectedVersion } from './check-ticket-change';
import { isEmpty, planTicketChange, ResolvedAssignee, TicketChangePlan } from './plan-ticket-change';

/**
 * The one way an existing ticket changes its fields, owner or gets helpdesk messages: PATCH, assign, macros, the portal,
 * automation rules and the auto-closer all come through here, so they share the lifecycle rules and write one grouped
 * set of events. Runs in the caller's transaction (`manager`) as check, plan, write, record: every check happens
 * before the first write, so a rejected change writes nothing.
 */
@Injectable()
export class ChangeTicket {
  constructor(
    private readonly repository: TicketsRepository,
    private readonly history: TicketHistory,
    private readonly messages: MessageWriter,
    private readonly agents: AgentsService,
    private readonly teams: TeamsService,
    private readonly organizations: OrganizationsService,
    private readonly routing: AssigneeRouting,
    private readonly clock: Clock,
    private readonly fields: FieldsService,
  ) {}

  async execute(
    manager: EntityManager,
    principal: Principal,
    id: string,
    input: TicketChangeSet,
    origin: ChangeOrigin,
    expectedVersion?: ExpectedVersion,
  ): Promise<TicketView> {
    const ticket = await this.repository.lock(manager, principal.workspaceId, id);
    checkTicketChange(ticket, id, input, expectedVersion);
    await this.checkReferences(principal, ticket, input);
    // Every write of custom fields (PATCH, GraphQL, macros, rules, the portal) is checked against the definitions here.
    if (input.customFields !== undefined) await this.fields.validate(principal.workspaceId, 'ticket', input.customFields, { partial: true, requester: isRequester(principal) });
    const assignee = await this.resolveAssignee(manager, principal, ticket, input);

    const now = this.clock.now();
    const plan = planTicketChange(ticket, input, assignee, now);
    if (plan.after.status === 'resolved' && plan.before.status !== 'resolved') await this.fields.assertSolvable(principal.workspaceId, plan.after.customFields);
    if (isEmpty(plan)) return (await this.repository.findView(manager, principal.workspaceId, id))!;

    const messageEvents = await this.write(manager, principal, plan, origin, now);
    return this.record(manager, principal, plan, origin, messageEvents);
  }

  /** The check step's part that asks other modules: the team and agent named exist in the workspace. */
  private async checkReferences(principal: Principal, ticket: TicketEntity, input: TicketChangeSet): Promise<void> {
    if (input.teamId !== undefined && input.teamId !== null && input.teamId !== ticket.teamId) await this.teams.assertExists(principal, input.teamId, 'teamId');
    if (input.organizationId !== undefined && input.organizationId !== null && input.organizationId !== ticket.organizationId) {
      await this.organizations.assertExists(principal, input.organizationId, 'organizationId');
    }
    if (input.assignee === undefined) return;
    if ('agentId' in input.assignee) {
      const agentId = input.assignee.agentId;
      if (agentId !== null && agentId !== ticket.assigneeId) await assertAgent(this.agents, principal, agentId, 'assigneeId');
    } else if (!(input.teamId !== undefined ? input.teamId : ticket.teamId)) {
      throw ValidationFailed.field('teamId', 'the ticket has no team whose strategy could pick an agent');
    }
  }

  /** Who the ticket ends up with; the team's strategy picks under its rotation lock, in this transaction. */
  private async resolveAssignee(manager: EntityManager, principal: Principal, ticket: TicketEntity, input: TicketChangeSet): Promise<ResolvedAssignee | undefined> {
    if (input.assignee === undefined) return undefined;
    if ('agentId' in input.assignee) return { agentId: input.assignee.agentId };
    const teamId = (input.teamId !== undefined ? input.teamId : ticket.teamId)!;
    const pick = await this.routing.pick(manager, principal, teamId);
    return { agentId: pick.agentId, strategy: pick.strategy };
  }

  /** The write step: the messages at their reserved sequences, then the row with its new version and sequences. */
  private async write(manager: EntityManager, principal: Principal, plan: TicketChangePlan, origin: ChangeOrigin, now: Date): Promise<TicketChange[]> {
    const { before, after } = plan;
    const author = principal.agentId
      ? { type: 'agent' as const, id: principal.agentId, name: principal.actor.name }
      : { type: 'system' as const, id: principal.actor.id, name: principal.actor.name };
    const messageEvents: TicketChange[] = [];
    for (const message of plan.messages) {
      const written = await this.messages.insert(manager, principal.workspaceId, before.id, message.sequence, message, author, now, { principal, field: 'attachments', anyUploader: true });
      messageEvents.push({ type: 'ticket.message_created', data: { message: written, ...origin.data } });
    }
    await this.repository.update(manager, principal.workspaceId, before.id, {
      subject: after.subject,
      status: after.status,
      priority: after.priority,
      type: after.type,
      tags: after.tags,
      assigneeId: after.assigneeId,
      teamId: after.teamId,
      organizationId: after.organizationId,
      customFields: after.customFields,
      firstRespondedAt: after.firstRespondedAt,
      resolvedAt: after.resolvedAt,
      closedAt: after.closedAt,
      updatedAt: now,
      version: before.version + 1,
      lastMessageSequence: before.lastMessageSequence + plan.messages.length,
      lastEventSequence: before.lastEventSequence + plan.fieldEvents.length + messageEvents.length,
    });
    return messageEvents;
  }

  /** The record step: history rows and outbox events at the reserved sequences, then the change hooks. */
  private async record(manager: EntityManager, principal: Principal, plan: TicketChangePlan, origin: ChangeOrigin, messageEvents: TicketChange[]): Promise<TicketView> {
    const { before, after, changes } = plan;
    const cause = origin.data ? { data: origin.data } : {};
    const events: TicketChange[] = [];
    for (const type of plan.fieldEvents) {
      if (type === 'ticket.updated') events.push({ type, changes, ...cause });
      if (type === 'ticket.status_changed') events.push({ type, changes: { status: changes.status }, ...cause });
      if (type === 'ticket.assigned') {
        const owners = await this.agents.findByIds(principal, [before.assigneeId, after.assigneeId].filter((owner): owner is string => owner !== null));
        const owner = (agentId: string | null) => (agentId ? { id: agentId, name: owners.get(agentId)?.name ?? null } : null);
        events.push({
          type,
          changes: { assigneeId: changes.assigneeId },
          data: {
            reason: origin.reason,
            previousAssignee: owner(before.assigneeId),
            assignee: owner(after.assigneeId),
            ...(plan.strategy ? { strategy: plan.strategy, teamId: after.teamId } : {}),
            ...origin.data,
          },
        });
      }
    }
    events.push(...messageEvents);
    const view = (await this.repository.findView(manager, principal.workspaceId, before.id))!;
    // Listeners (automation rules) may have changed the ticket again inside this transaction.
    const rewritten = await this.history.record(manager, principal, view, before.lastEventSequence + 1, events);
    return rewritten ? (await this.repository.findView(manager, principal.workspaceId, before.id))! : view;
  }
}

/** A named agent must exist in the caller's workspace; the field names where the caller put it. */
export async function assertAgent(agents: AgentsService, principal: Principal, agentId: string, field: string): Promise<void> {
  const found = await agents.findByIds(principal, [agentId]);
  if (!found.has(agentId)) throw ValidationFailed.field(field, `no agent with id ${agentId} exists in this workspace`);
}
