import { Injectable } from '@nestjs/common';
import { Principal } from '../../auth/principal';
import { Clock } from '../../common/clock';
import { TransactionRunner } from '../../database/transaction-runner';
import { previewChanges } from '../../macros/actions/plan-actions';
import { TicketAction } from '../../macros/actions/ticket-action.dto';
import { TicketActions } from '../../macros/actions/ticket-actions';
import { TicketView } from '../../tickets/dto/ticket.dto';
import { TicketReadModel } from '../../tickets/queries/ticket-read-model.queries';
import { TicketsService } from '../../tickets/tickets.service';
import { AutomationRulesService } from '../automation-rules.service';
import { DraftTicketInput, RuleTestReportView, TestAutomationRulesInput } from '../dto/automation-rule.dto';
import { RuleCalendars } from '../rule-calendars';
import { conditionsHold } from '../rule-conditions';
import { subjectOf } from '../rule-subject';

function draftView(draft: DraftTicketInput, now: Date): TicketView {
  // A draft has no derived state (SLA and the like) for rules to look at; only the fields conditions read matter.
  return <TicketView>{
    id: '00000000-0000-0000-0000-000000000000', number: 0, subject: draft.subject, status: 'new', priority: draft.priority ?? 'normal', type: draft.type ?? null,
    tags: [...new Set((draft.tags ?? []).map((tag) => tag.trim().toLowerCase()))], channel: draft.channel ?? 'api',
    requester: { id: '00000000-0000-0000-0000-000000000000', name: null, email: draft.requesterEmail?.toLowerCase() ?? null },
    assignee: null, team: null, followUpOfId: null, customFields: {}, createdAt: now, updatedAt: now, firstRespondedAt: null, resolvedAt: null, closedAt: null, version: 0,
    messagesCount: 1,
  };
}

/** Applies a preview to the in-memory ticket so later rules see what earlier ones would have changed. */
function withChanges(ticket: TicketView, changes: Record<string, { before: unknown; after: unknown }>): TicketView {
  const next: TicketView = { ...ticket };
  for (const [field, { after }] of Object.entries(changes)) {
    if (field === 'teamId') next.team = after ? { id: after as string, name: '' } : null;
    else if (field === 'assigneeId') next.assignee = after ? { id: after as string, name: '' } : null;
    else (next as unknown as Record<string, unknown>)[field] = after;
  }
  return next;
}

/** Which rules would fire on a ticket or a draft, and what each would change, computed without writing anything. */
@Injectable()
export class RuleTesterService {
  constructor(
    private readonly transactions: TransactionRunner,
    private readonly rules: AutomationRulesService,
    private readonly actions: TicketActions,
    private readonly tickets: TicketsService,
    private readonly calendars: RuleCalendars,
    private readonly clock: Clock,
    private readonly ticketReads: TicketReadModel,
  ) {}

  async test(principal: Principal, input: TestAutomationRulesInput): Promise<RuleTestReportView> {
    const event = input.event ?? 'ticket.created';
    let ticket: TicketView;
    let body: string;
    let draftText: string | undefined;
    if (input.ticketId) {
      ticket = await this.tickets.get(principal, input.ticketId);
      body = await this.ticketReads.latestMessageBody(this.transactions.manager, principal.workspaceId, ticket.id);
    } else {
      ticket = draftView(input.ticket!, this.clock.now());
      body = input.ticket!.message.body;
      draftText = `${ticket.subject}\n${body}`;
    }
    const fired: RuleTestReportView['fired'] = [];
    const rules = await this.rules.enabledFor(this.transactions.manager, principal.workspaceId, event);
    // Business-hours conditions are judged as if the change happened now.
    const openCalendars = await this.calendars.openAt(principal, rules, this.clock.now(), new Map());
    for (const rule of rules) {
      if (!conditionsHold(rule.conditions, subjectOf(ticket, body, {}, openCalendars))) continue;
      const plan = await this.actions.plan(principal, ticket, rule.actions as TicketAction[], null, draftText);
      const preview = previewChanges(ticket, plan);
      fired.push({ ruleId: rule.id, name: rule.name, position: rule.position, changes: preview.changes, messages: preview.messages.map((message) => message.body) });
      ticket = withChanges(ticket, preview.changes);
    }
    return { event, fired };
  }
}
