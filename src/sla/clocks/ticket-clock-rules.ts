import { BusinessHours } from '../business-time';
import { PolicyRules, pausesIn, SlaMetric, targetMinutes } from '../policies/sla-policy-rules';
import type { TicketPriority, TicketStatus } from '../../tickets/ticket-lifecycle';
import { fulfil, MetricClock, pause, reopen, resume, Target } from './metric-clock';

/** Every clock stops at these statuses; resolution resumes if the ticket reopens. */
export const STOPPED_STATUSES: ReadonlySet<string> = new Set(['resolved', 'closed']);

export function targetFor(policy: PolicyRules | null, priority: TicketPriority, metric: SlaMetric): Target {
  return { policyId: policy?.id ?? null, businessHoursId: policy?.businessHoursId ?? null, targetMinutes: targetMinutes(policy, priority, metric) };
}

export function metricRuns(policy: PolicyRules | null, metric: SlaMetric, status: TicketStatus): boolean {
  return !STOPPED_STATUSES.has(status) && !pausesIn(policy, metric, status);
}

/** Pauses, resumes, stops or reopens a clock so that it matches the ticket's status under the policy. */
export function followStatus(clock: MetricClock, policy: PolicyRules | null, status: TicketStatus, calendar: BusinessHours, now: Date): MetricClock {
  if (STOPPED_STATUSES.has(status)) return clock.fulfilledAt === null ? fulfil(clock, calendar, now) : clock;
  // Only resolution reopens: a response that was given stays given.
  if (clock.metric === 'resolution' && clock.fulfilledAt !== null) return reopen(clock, calendar, now, metricRuns(policy, clock.metric, status));
  if (clock.fulfilledAt !== null) return clock;
  const shouldRun = metricRuns(policy, clock.metric, status);
  if (shouldRun && clock.runStartedAt === null) return resume(clock, calendar, now);
  if (!shouldRun && clock.runStartedAt !== null) return pause(clock, calendar, now);
  return clock;
}
