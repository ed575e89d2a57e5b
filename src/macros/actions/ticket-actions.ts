import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AgentsService } from '../../agents/agents.service';
import { Principal } from '../../auth/principal';
import { FieldError, ValidationFailed } from '../../common/errors/domain-errors';
import { FieldsService } from '../../fields/fields.service';
import { TeamsService } from '../../teams/teams.service';
import { SuggestionsService } from '../../triage/suggestions.service';
import { TicketView } from '../../tickets/dto/ticket.dto';
import { ChangeOrigin, TicketChangeSet } from '../../tickets/ticket-change-set';
import { TicketsService } from '../../tickets/tickets.service';
import { planActions, templateValues, validateActions } from './plan-actions';
import { TicketAction } from './ticket-action.dto';

/** The action vocabulary shared by macros and automation rules: validated when saved, planned and applied as one change. */
@Injectable()
export class TicketActions {
  constructor(
    private readonly tickets: TicketsService,
    private readonly teams: TeamsService,
    private readonly agents: AgentsService,
    private readonly suggestions: SuggestionsService,
    private readonly fields: FieldsService,
  ) {}

  async validate(principal: Principal, actions: TicketAction[], path: string, options: { allowSuggestions: boolean; allowAttachments?: boolean }): Promise<void> {
    const errors: FieldError[] = validateActions(actions, path, options);
    const teamIds = actions.flatMap((action) => (action.type === 'set_team' && action.teamId ? [action.teamId] : []));
    const agentIds = actions.flatMap((action) => (action.type === 'set_assignee' && action.agentId ? [action.agentId] : []));
    const [teams, agents] = await Promise.all([this.teams.findByIds(principal, teamIds), this.agents.findByIds(principal, agentIds)]);
    actions.forEach((action, index) => {
      if (action.type === 'set_team' && action.teamId && !teams.has(action.teamId)) errors.push({ field: `${path}[${index}].teamId`, message: `no team with id ${action.teamId} exists in this workspace` });
      if (action.type === 'set_assignee' && action.agentId && !agents.has(action.agentId)) errors.push({ field: `${path}[${index}].agentId`, message: `no agent with id ${action.agentId} exists in this workspace` });
    });
    if (errors.length > 0) throw new ValidationFailed(errors);
    // A set_custom_field action must fit the ticket field definitions when saved (422 naming customFields.<key>), as the
    // change it makes is checked again when applied.
    const customFields = Object.fromEntries(actions.flatMap((action) => (action.type === 'set_custom_field' && action.key !== undefined ? [[action.key, action.value ?? null]] : [])));
    if (Object.keys(customFields).length > 0) await this.fields.validate(principal.workspaceId, 'ticket', customFields, { partial: true });
  }

  /** One change set for the whole list; apply_suggestions fills only what the other actions leave alone. */
  /** `draftText` stands in for a ticket that does not exist yet (the rule tester's drafts). */
  async plan(principal: Principal, ticket: TicketView, actions: TicketAction[], agentName: string | null, draftText?: string): Promise<TicketChangeSet> {
    const plan = planActions(actions, templateValues(ticket, agentName));
    const thresholds = actions.filter((action) => action.type === 'apply_suggestions').map((action) => action.minConfidence ?? 1);
    if (thresholds.length === 0) return plan;
    const threshold = Math.min(...thresholds);
    const suggested = draftText === undefined ? await this.suggestions.forTicket(principal, ticket.id) : await this.suggestions.forText(principal, draftText);
    if (!suggested.enoughHistory) return plan;
    const sure = (prediction: { confidence: number } | null) => prediction !== null && prediction.confidence >= threshold;
    if (plan.type === undefined && sure(suggested.type)) plan.type = suggested.type!.value as TicketChangeSet['type'];
    if (plan.priority === undefined && sure(suggested.priority)) plan.priority = suggested.priority!.value as TicketChangeSet['priority'];
    if (plan.teamId === undefined && plan.assignee === undefined && !ticket.team && sure(suggested.team)) {
      plan.teamId = suggested.team!.value.id;
      if (!ticket.assignee) plan.assignee = { byTeamStrategy: true };
    }
    const tags = suggested.tags.filter(sure).map((tag) => tag.value);
    if (tags.length) plan.addTags = [...new Set([...(plan.addTags ?? []), ...tags])];
    return plan;
  }

  async apply(manager: EntityManager, principal: Principal, ticket: TicketView, actions: TicketAction[], origin: ChangeOrigin, agentName: string | null): Promise<TicketView> {
    const plan = await this.plan(principal, ticket, actions, agentName);
    return this.tickets.applyChanges(manager, principal, ticket.id, plan, origin);
  }
}
