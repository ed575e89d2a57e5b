import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Clock } from '../../common/clock';
import { BusinessHours } from '../business-time';
import { MetricClock, retarget, sameTarget } from '../clocks/metric-clock';
import { followStatus, targetFor } from '../clocks/ticket-clock-rules';
import { OpenTicketFacts, TicketSlaRepository } from '../clocks/ticket-sla.repository';
import { compiledCalendar } from '../compiled-calendars';
import { SlaPoliciesRepository } from '../policies/sla-policies.repository';
import { PolicyRules, selectPolicy } from '../policies/sla-policy-rules';
import { nextSlaDueAt } from '../ticket-sla-view';

/** What was edited: the policy list (any create, update, reorder or delete), or one calendar's hours. */
export type SlaEdit = { kind: 'policies' } | { kind: 'calendar'; calendarId: string };

const BATCH = 500;
const NIL_UUID = '00000000-0000-0000-0000-000000000000';

/**
 * Re-measures the unfinished metrics of a workspace's open (not resolved or closed) tickets after an SLA policy or
 * calendar edit, as if the new rules had applied from each metric's start: the policy is selected again, the target
 * and calendar re-applied (a breach stays final), and pausing follows the policy's pause rules from now on. Runs in
 * the edit's transaction, in pages of locked tickets, so the edit and its effect commit together; the edit therefore
 * costs about one statement per ticket whose clocks move (a few seconds for tens of thousands of open tickets).
 */
@Injectable()
export class OpenTicketsSlaRecompute {
  constructor(
    private readonly clocks: TicketSlaRepository,
    private readonly policies: SlaPoliciesRepository,
    private readonly clock: Clock,
  ) {}

  /** Resolves the number of tickets whose clocks changed. */
  async recompute(manager: EntityManager, workspaceId: string, edit: SlaEdit): Promise<number> {
    // Read in this transaction, not through the policies cache, so the edit being made is what applies.
    const policies = await this.policies.ordered(manager, workspaceId);
    const calendars = new Map<string, BusinessHours>();
    const calendarOf = async (id: string | null): Promise<BusinessHours> => {
      if (id === null) return null;
      if (!calendars.has(id)) calendars.set(id, compiledCalendar(await this.clocks.calendar(manager, workspaceId, id)));
      return calendars.get(id)!;
    };
    const now = this.clock.now();
    const editedCalendar = edit.kind === 'calendar' ? edit.calendarId : null;
    let changedTickets = 0;
    for (let afterId = NIL_UUID; ;) {
      const tickets = await this.clocks.lockOpenTickets(manager, workspaceId, editedCalendar, afterId, BATCH);
      if (tickets.length === 0) return changedTickets;
      const clocksByTicket = await this.clocks.latestClocksOf(manager, workspaceId, tickets.map((ticket) => ticket.id));
      for (const ticket of tickets) {
        const current = clocksByTicket.get(ticket.id) ?? [];
        const policy = selectPolicy(policies, { ...ticket, tags: ticket.tags ?? [] });
        const next = this.remeasure(ticket, current, policy, await calendarOf(policy?.businessHoursId ?? null), editedCalendar, now);
        const changed = next.filter((clock, index) => JSON.stringify(clock) !== JSON.stringify(current[index]));
        if (changed.length === 0) continue;
        await this.clocks.save(manager, workspaceId, ticket.id, changed, nextSlaDueAt(next), now);
        changedTickets += 1;
      }
      afterId = tickets[tickets.length - 1].id;
      if (tickets.length < BATCH) return changedTickets;
    }
  }

  private remeasure(
    ticket: OpenTicketFacts,
    current: MetricClock[],
    policy: PolicyRules | null,
    calendar: BusinessHours,
    editedCalendar: string | null,
    now: Date,
  ): MetricClock[] {
    return current.map((clock) => {
      // Finished cycles are history: reports count them under the target they had.
      if (clock.fulfilledAt !== null) return clock;
      const target = targetFor(policy, ticket.priority, clock.metric);
      const remeasured = sameTarget(clock, target) && clock.businessHoursId !== editedCalendar ? clock : retarget(clock, target, calendar);
      return followStatus(remeasured, policy, ticket.status, calendar, now);
    });
  }
}
