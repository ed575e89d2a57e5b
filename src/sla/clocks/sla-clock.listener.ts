import { Injectable, OnModuleInit } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Clock } from '../../common/clock';
import { MessageView } from '../../tickets/dto/message.dto';
import { TicketView } from '../../tickets/dto/ticket.dto';
import { TicketChangeContext, TicketChangeHooks, TicketChangeListener } from '../../tickets/ticket-change-hooks';
import { BusinessHours } from '../business-time';
import { compiledCalendar } from '../compiled-calendars';
import { nextSlaDueAt, slaViewOfClocks, toTicketSlaView } from '../ticket-sla-view';
import { SlaPoliciesService } from '../policies/sla-policies.service';
import { PolicyRules, selectPolicy, SlaMetric } from '../policies/sla-policy-rules';
import { fulfil, MetricClock, retarget, sameTarget, startClock, Target } from './metric-clock';
import { followStatus, metricRuns, targetFor } from './ticket-clock-rules';
import { TicketSlaRepository } from './ticket-sla.repository';

/** A change to any of these can make another policy or target apply. */
const POLICY_FIELDS = ['priority', 'type', 'tags', 'teamId', 'organizationId'];

interface Ticketing {
  ticket: TicketView;
  policy: PolicyRules | null;
  calendar: BusinessHours;
  now: Date;
}

/**
 * Keeps each ticket's SLA clocks in step with the ticket, inside the transaction of every change: starts them on
 * creation, fulfils and restarts response clocks on public messages, pauses and resumes by status, and re-targets
 * from the start when the applicable policy or target changes.
 */
@Injectable()
export class SlaClockListener implements TicketChangeListener, OnModuleInit {
  readonly order = 10;

  constructor(
    private readonly hooks: TicketChangeHooks,
    private readonly clocks: TicketSlaRepository,
    private readonly policies: SlaPoliciesService,
    private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    this.hooks.register(this);
  }

  async onTicketChanged({ manager, principal, ticket, changes }: TicketChangeContext): Promise<void> {
    const created = changes.some((change) => change.type === 'ticket.created');
    const reselect = created || changes.some((change) => change.type === 'ticket.updated' && POLICY_FIELDS.some((field) => change.changes?.[field]));
    const messages = changes
      .filter((change) => change.type === 'ticket.message_created')
      .map((change) => change.data.message)
      .filter((message) => message?.visibility === 'public');
    const statusChanged = changes.some((change) => change.changes?.status);
    if (!reselect && messages.length === 0 && !statusChanged) return;

    const workspaceId = principal.workspaceId;
    // A ticket created in this transaction has no clocks yet.
    const current = created ? [] : await this.clocks.latestClocks(manager, workspaceId, ticket.id);
    const policy = await this.policyFor(manager, workspaceId, ticket, current, reselect);
    const calendarId = policy ? policy.businessHoursId : (current[0]?.businessHoursId ?? null);
    const calendar = compiledCalendar(await this.clocks.calendar(manager, workspaceId, calendarId));
    const context: Ticketing = { ticket, policy, calendar, now: this.clock.now() };

    const byMetric = new Map<SlaMetric, MetricClock>(current.map((clock) => [clock.metric, clock]));
    if (created) {
      for (const metric of ['first_response', 'resolution'] as const) {
        if (!byMetric.has(metric)) byMetric.set(metric, this.start(context, metric, 1));
      }
    }
    if (reselect) {
      for (const [metric, clock] of byMetric) {
        const target = this.targetOf(context, metric);
        if (!sameTarget(clock, target)) byMetric.set(metric, retarget(clock, target, calendar));
      }
    }
    for (const message of messages) this.applyMessage(context, byMetric, message);
    for (const [metric, clock] of byMetric) byMetric.set(metric, followStatus(clock, policy, ticket.status, calendar, context.now));

    const changed = [...byMetric.values()].filter((clock) => !current.includes(clock));
    if (changed.length === 0) return;
    await this.clocks.save(manager, workspaceId, ticket.id, changed, nextSlaDueAt(byMetric.values()), context.now);
    // The service that made the change answers with this view, read before the clocks moved: bring its SLA up to date,
    // from memory when every measured clock runs on the calendar loaded here (the usual case).
    const oneCalendar = [...byMetric.values()].every((clock) => clock.targetMinutes === null || clock.businessHoursId === calendarId);
    ticket.sla = oneCalendar ? slaViewOfClocks(byMetric.values(), calendar, context.now) : toTicketSlaView(await this.clocks.slaState(manager, workspaceId, ticket.id), context.now);
  }

  private async policyFor(manager: EntityManager, workspaceId: string, ticket: TicketView, current: MetricClock[], reselect: boolean): Promise<PolicyRules | null> {
    const policies = await this.policies.ordered(manager, workspaceId);
    if (reselect) {
      return selectPolicy(policies, { priority: ticket.priority, type: ticket.type, tags: ticket.tags, teamId: ticket.team?.id ?? null, channel: ticket.channel, organizationId: ticket.organizationId ?? null });
    }
    const policyId = current.find((clock) => clock.policyId !== null)?.policyId;
    return policies.find((policy) => policy.id === policyId) ?? null;
  }

  private targetOf({ policy, ticket }: Ticketing, metric: SlaMetric): Target {
    return targetFor(policy, ticket.priority, metric);
  }

  private runs({ policy, ticket }: Ticketing, metric: SlaMetric): boolean {
    return metricRuns(policy, metric, ticket.status);
  }

  private start(context: Ticketing, metric: SlaMetric, cycle: number): MetricClock {
    return startClock(metric, cycle, this.targetOf(context, metric), context.calendar, context.now, this.runs(context, metric));
  }

  /** A public helpdesk reply answers the requester; a requester's message after a reply starts waiting for the next one. */
  private applyMessage(context: Ticketing, byMetric: Map<SlaMetric, MetricClock>, message: MessageView): void {
    const { calendar, now } = context;
    if (message.author.type !== 'contact') {
      for (const metric of ['first_response', 'next_response'] as const) {
        const clock = byMetric.get(metric);
        if (clock && clock.fulfilledAt === null) byMetric.set(metric, fulfil(clock, calendar, now));
      }
      return;
    }
    const waiting = byMetric.get('next_response');
    const replied = context.ticket.firstRespondedAt !== null;
    if (replied && (!waiting || waiting.fulfilledAt !== null)) {
      byMetric.set('next_response', this.start(context, 'next_response', (waiting?.cycle ?? 0) + 1));
    }
  }
}

