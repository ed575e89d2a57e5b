import { elapsedMs, MetricClock } from './clocks/metric-clock';
import { BusinessHours } from './business-time';
import { compiledCalendar, StoredCalendar } from './compiled-calendars';
import { TicketSlaView } from '../tickets/dto/ticket-sla.dto';

/**
 * SQL fragments the tickets repository embeds so one query returns a ticket with its SLA, and the agent queue can
 * sort and filter on it. `t` is the tickets alias. Earlier cycles are always finished (fulfilled), so "not yet
 * fulfilled" rows are exactly the live ones.
 */
export const TICKET_SLA_STATE_SQL = `(
  SELECT json_agg(json_build_object(
    'metric', m.metric, 'policyId', m.policy_id, 'status', m.status, 'targetMinutes', m.target_minutes,
    'startedAt', m.started_at, 'runStartedAt', m.run_started_at, 'accumulatedMs', m.accumulated_ms, 'dueAt', m.due_at,
    'fulfilledAt', m.fulfilled_at, 'breachedAt', m.breached_at,
    'calendar', CASE WHEN bh.id IS NULL THEN NULL ELSE json_build_object(
      'id', bh.id, 'updatedAt', bh.updated_at, 'timezone', bh.timezone, 'weekly', bh.weekly, 'holidays', bh.holidays, 'specialDays', bh.special_days) END
  ) ORDER BY m.metric)
  FROM (SELECT DISTINCT ON (metric) * FROM ticket_sla_metrics
         WHERE workspace_id = t.workspace_id AND ticket_id = t.id ORDER BY metric, cycle DESC) m
  LEFT JOIN business_hours bh ON bh.workspace_id = m.workspace_id AND bh.id = m.business_hours_id
  WHERE m.target_minutes IS NOT NULL)`;

// The next-due column belongs to the tickets table; re-exported for the benchmarks that embed it.
export { TICKET_SLA_NEXT_DUE_SQL, NO_SLA_DUE } from '../tickets/ticket-sla-due';

/** The value `tickets.sla_next_due_at` holds for these clocks: the earliest due time of a live metric. */
export function nextSlaDueAt(clocks: Iterable<Pick<MetricClock, 'fulfilledAt' | 'dueAt' | 'status'>>): Date | null {
  let next: Date | null = null;
  for (const clock of clocks) {
    if (clock.fulfilledAt !== null || clock.dueAt === null || (clock.status !== 'active' && clock.status !== 'breached')) continue;
    if (next === null || clock.dueAt < next) next = clock.dueAt;
  }
  return next;
}

/** Tickets with a metric past its target and not yet fulfilled: the ones an agent must act on first. */
export const TICKET_SLA_BREACHED_SQL = `EXISTS (
  SELECT 1 FROM ticket_sla_metrics m WHERE m.workspace_id = t.workspace_id AND m.ticket_id = t.id
     AND m.status = 'breached' AND m.fulfilled_at IS NULL AND m.target_minutes IS NOT NULL)`;

interface StoredMetric {
  metric: MetricClock['metric'];
  policyId: string | null;
  status: MetricClock['status'];
  targetMinutes: number;
  startedAt: string;
  runStartedAt: string | null;
  accumulatedMs: number | string;
  dueAt: string | null;
  fulfilledAt: string | null;
  breachedAt: string | null;
  calendar: StoredCalendar | null;
}

const date = (value: string | null) => (value === null ? null : new Date(value));
const MINUTE_MS = 60_000;

/** Turns the SLA state selected with a ticket into its view, measuring business time up to `now`. */
export function toTicketSlaView(state: unknown, now: Date): TicketSlaView | null {
  const metrics = state as StoredMetric[] | null;
  if (!metrics || metrics.length === 0) return null;
  return {
    policyId: metrics[0].policyId,
    metrics: metrics.map((stored) =>
      metricView(
        {
          metric: stored.metric,
          status: stored.status,
          targetMinutes: stored.targetMinutes,
          startedAt: new Date(stored.startedAt),
          runStartedAt: date(stored.runStartedAt),
          accumulatedMs: Number(stored.accumulatedMs),
          dueAt: date(stored.dueAt),
          fulfilledAt: date(stored.fulfilledAt),
          breachedAt: date(stored.breachedAt),
        },
        compiledCalendar(stored.calendar),
        now,
      ),
    ),
  };
}

/**
 * The same view built from the latest clocks in memory, for the SLA listener that has just written them: the clocks
 * with a target, in metric order, all measured on `calendar` (the caller checks they share it).
 */
export function slaViewOfClocks(clocks: Iterable<MetricClock>, calendar: BusinessHours, now: Date): TicketSlaView | null {
  const measured = [...clocks].filter((clock) => clock.targetMinutes !== null).sort((a, b) => (a.metric < b.metric ? -1 : a.metric > b.metric ? 1 : 0));
  if (measured.length === 0) return null;
  return { policyId: measured[0].policyId, metrics: measured.map((clock) => metricView({ ...clock, targetMinutes: clock.targetMinutes! }, calendar, now)) };
}

type MeasuredClock = Pick<MetricClock, 'metric' | 'status' | 'startedAt' | 'runStartedAt' | 'accumulatedMs' | 'dueAt' | 'fulfilledAt' | 'breachedAt'> & { targetMinutes: number };

function metricView(clock: MeasuredClock, calendar: BusinessHours, now: Date): TicketSlaView['metrics'][number] {
  const elapsed = elapsedMs({ runStartedAt: clock.runStartedAt, accumulatedMs: clock.accumulatedMs } as MetricClock, calendar, now);
  const elapsedMinutes = Math.floor(elapsed / MINUTE_MS);
  return {
    metric: clock.metric,
    status: clock.status,
    startedAt: clock.startedAt,
    dueAt: clock.dueAt,
    fulfilledAt: clock.fulfilledAt,
    breachedAt: clock.breachedAt,
    elapsedMinutes,
    remainingMinutes: clock.targetMinutes - elapsedMinutes,
  };
}
