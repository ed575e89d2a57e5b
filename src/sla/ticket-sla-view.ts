import { elapsedMs, MetricClock } from './clocks/metric-clock';
import { compiledCalendar, StoredCalendar } from './compiled-calendars';
import { TicketSlaView } from './dto/ticket-sla.dto';

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
      'id', bh.id, 'updatedAt', bh.updated_at, 'timezone', bh.timezone, 'weekly', bh.weekly, 'holidays', bh.holidays) END
  ) ORDER BY m.metric)
  FROM (SELECT DISTINCT ON (metric) * FROM ticket_sla_metrics
         WHERE workspace_id = t.workspace_id AND ticket_id = t.id ORDER BY metric, cycle DESC) m
  LEFT JOIN business_hours bh ON bh.workspace_id = m.workspace_id AND bh.id = m.business_hours_id
  WHERE m.target_minutes IS NOT NULL)`;

/** The next due time as epoch milliseconds, tickets without a running SLA last; a number keeps cursors simple. */
export const TICKET_SLA_NEXT_DUE_SQL = `COALESCE((
  SELECT (EXTRACT(EPOCH FROM MIN(m.due_at)) * 1000)::bigint FROM ticket_sla_metrics m
   WHERE m.workspace_id = t.workspace_id AND m.ticket_id = t.id AND m.fulfilled_at IS NULL AND m.due_at IS NOT NULL
     AND m.status IN ('active', 'breached')), 9000000000000000)`;
export const NO_SLA_DUE = 9_000_000_000_000_000;

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
    metrics: metrics.map((stored) => {
      const runStartedAt = date(stored.runStartedAt);
      const elapsed = elapsedMs(
        { runStartedAt, accumulatedMs: Number(stored.accumulatedMs) } as MetricClock,
        compiledCalendar(stored.calendar),
        now,
      );
      const elapsedMinutes = Math.floor(elapsed / MINUTE_MS);
      return {
        metric: stored.metric,
        status: stored.status,
        startedAt: new Date(stored.startedAt),
        dueAt: date(stored.dueAt),
        fulfilledAt: date(stored.fulfilledAt),
        breachedAt: date(stored.breachedAt),
        elapsedMinutes,
        remainingMinutes: stored.targetMinutes - elapsedMinutes,
      };
    }),
  };
}
