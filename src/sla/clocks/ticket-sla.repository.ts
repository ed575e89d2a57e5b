import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { StoredCalendar } from '../compiled-calendars';
import { TICKET_SLA_STATE_SQL } from '../ticket-sla-view';
import { SlaMetric } from '../policies/sla-policy-rules';
import type { TicketChannel, TicketPriority, TicketStatus, TicketType } from '../../tickets/ticket-lifecycle';
import { TicketsService } from '../../tickets/tickets.service';
import { MetricClock, MetricStatus } from './metric-clock';

interface MetricRow {
  metric: SlaMetric;
  cycle: number;
  policy_id: string | null;
  business_hours_id: string | null;
  target_minutes: number | null;
  status: MetricStatus;
  started_at: Date;
  run_started_at: Date | null;
  accumulated_ms: string;
  due_at: Date | null;
  fulfilled_at: Date | null;
  breached_at: Date | null;
  warned_at: Date | null;
  paused_at: Date | null;
}

function toClock(row: MetricRow): MetricClock {
  return {
    metric: row.metric,
    cycle: row.cycle,
    policyId: row.policy_id,
    businessHoursId: row.business_hours_id,
    targetMinutes: row.target_minutes,
    status: row.status,
    startedAt: row.started_at,
    runStartedAt: row.run_started_at,
    accumulatedMs: Number(row.accumulated_ms),
    dueAt: row.due_at,
    fulfilledAt: row.fulfilled_at,
    breachedAt: row.breached_at,
    warnedAt: row.warned_at,
    pausedAt: row.paused_at,
  };
}

/** What policy selection and the clocks need to know about an open ticket. */
export interface OpenTicketFacts {
  id: string;
  status: TicketStatus;
  priority: TicketPriority;
  type: TicketType | null;
  tags: string[];
  teamId: string | null;
  channel: TicketChannel;
  organizationId: string | null;
}

export interface DueMetric {
  workspaceId: string;
  ticketId: string;
  metric: SlaMetric;
  cycle: number;
  dueAt: Date;
  warnedAt: Date | null;
}

/** SQL for ticket SLA clocks. Callers hold the ticket's row lock, which is what serialises every write to its clocks. */
@Injectable()
export class TicketSlaRepository {
  constructor(private readonly tickets: TicketsService) {}

  /** The latest cycle of each metric: earlier cycles are finished history kept for reports. */
  async latestClocks(manager: EntityManager, workspaceId: string, ticketId: string): Promise<MetricClock[]> {
    const rows: MetricRow[] = await manager.query(
      `SELECT DISTINCT ON (metric) * FROM ticket_sla_metrics WHERE workspace_id = $1 AND ticket_id = $2 ORDER BY metric, cycle DESC`,
      [workspaceId, ticketId],
    );
    return rows.map(toClock);
  }

  /** The latest cycle of each metric of many tickets, by ticket. */
  async latestClocksOf(manager: EntityManager, workspaceId: string, ticketIds: string[]): Promise<Map<string, MetricClock[]>> {
    const rows: Array<MetricRow & { ticket_id: string }> = await manager.query(
      `SELECT DISTINCT ON (ticket_id, metric) * FROM ticket_sla_metrics WHERE workspace_id = $1 AND ticket_id = ANY($2::uuid[])
        ORDER BY ticket_id, metric, cycle DESC`,
      [workspaceId, ticketIds],
    );
    const byTicket = new Map<string, MetricClock[]>();
    for (const row of rows) byTicket.set(row.ticket_id, [...(byTicket.get(row.ticket_id) ?? []), toClock(row)]);
    return byTicket;
  }

  /**
   * Locks the next page (by id, after `afterId`) of the workspace's tickets that are not resolved or closed, waiting for
   * tickets a change holds: every writer of a ticket's clocks locks the ticket first. With `calendarId`, only tickets
   * with an unfinished clock measured on that calendar.
   */
  async lockOpenTickets(manager: EntityManager, workspaceId: string, calendarId: string | null, afterId: string, limit: number): Promise<OpenTicketFacts[]> {
    return manager.query(
      `SELECT t.id, t.status, t.priority, t.type, t.tags, t.team_id AS "teamId", t.channel, t.organization_id AS "organizationId" FROM tickets t
        WHERE t.workspace_id = $1 AND t.status NOT IN ('resolved', 'closed') AND t.id > $2::uuid
          AND ($3::uuid IS NULL OR EXISTS (
            SELECT 1 FROM ticket_sla_metrics m
             WHERE m.workspace_id = t.workspace_id AND m.ticket_id = t.id AND m.business_hours_id = $3::uuid AND m.fulfilled_at IS NULL))
        ORDER BY t.id LIMIT $4
        FOR UPDATE OF t`,
      [workspaceId, afterId, calendarId, limit],
    );
  }

  /**
   * Upserts the changed clocks, then has the tickets module set the ticket's next due time in the same transaction, so
   * the queue sort reads an indexed column that can never disagree with the clocks.
   */
  async save(manager: EntityManager, workspaceId: string, ticketId: string, clocks: MetricClock[], nextDueAt: Date | null, now: Date): Promise<void> {
    if (clocks.length === 0) return;
    const params: unknown[] = [workspaceId, ticketId, now];
    const rows = clocks.map((clock) => {
      const values = [
        clock.metric, clock.cycle, clock.policyId, clock.businessHoursId, clock.targetMinutes, clock.status, clock.startedAt,
        clock.runStartedAt, Math.round(clock.accumulatedMs), clock.dueAt, clock.fulfilledAt, clock.breachedAt, clock.warnedAt, clock.pausedAt,
      ];
      const placeholders = values.map((value) => `$${params.push(value)}`);
      return `($1, $2, ${placeholders.join(', ')}, $3)`;
    });
    await manager.query(
      `INSERT INTO ticket_sla_metrics (workspace_id, ticket_id, metric, cycle, policy_id, business_hours_id, target_minutes, status, started_at,
           run_started_at, accumulated_ms, due_at, fulfilled_at, breached_at, warned_at, paused_at, updated_at)
         VALUES ${rows.join(', ')}
         ON CONFLICT (workspace_id, ticket_id, metric, cycle) DO UPDATE SET
           policy_id = EXCLUDED.policy_id, business_hours_id = EXCLUDED.business_hours_id, target_minutes = EXCLUDED.target_minutes,
           status = EXCLUDED.status, run_started_at = EXCLUDED.run_started_at, accumulated_ms = EXCLUDED.accumulated_ms,
           due_at = EXCLUDED.due_at, fulfilled_at = EXCLUDED.fulfilled_at, breached_at = EXCLUDED.breached_at,
           warned_at = EXCLUDED.warned_at, paused_at = EXCLUDED.paused_at, updated_at = EXCLUDED.updated_at`,
      params,
    );
    await this.tickets.recordSlaNextDue(manager, workspaceId, ticketId, nextDueAt);
  }

  async slaState(manager: EntityManager, workspaceId: string, ticketId: string): Promise<unknown> {
    const [row] = await manager.query(`SELECT ${TICKET_SLA_STATE_SQL} AS sla_state FROM tickets t WHERE t.workspace_id = $1 AND t.id = $2`, [workspaceId, ticketId]);
    return row?.sla_state ?? null;
  }

  async calendar(manager: EntityManager, workspaceId: string, id: string | null): Promise<StoredCalendar | null> {
    if (id === null) return null;
    const [row] = await manager.query('SELECT id, updated_at AS "updatedAt", timezone, weekly, holidays, special_days AS "specialDays" FROM business_hours WHERE workspace_id = $1 AND id = $2', [workspaceId, id]);
    return row ?? null;
  }

  /**
   * Locks tickets that have a metric due by `until`, skipping tickets another instance (or a request) holds, so
   * concurrent scanners split the work instead of repeating it. Reads the partial index on due time of active metrics.
   * The ticket row is locked, not the metric, because every writer of a ticket's clocks locks the ticket first.
   */
  /** Seconds since the most overdue active metric fell due: how far the breach scan is behind (0 when none is). */
  async oldestOverdueSeconds(manager: EntityManager, now: Date): Promise<number> {
    const [row]: Array<{ seconds: number }> = await manager.query(
      `SELECT COALESCE(EXTRACT(EPOCH FROM $1::timestamptz - min(due_at)), 0)::float8 AS seconds FROM ticket_sla_metrics WHERE status = 'active' AND due_at < $1`,
      [now],
    );
    return row.seconds;
  }

  async lockTicketsWithMetricsDue(manager: EntityManager, now: Date, warnUntil: Date, limit: number): Promise<Array<{ workspaceId: string; ticketId: string }>> {
    return manager.query(
      `SELECT t.workspace_id AS "workspaceId", t.id AS "ticketId" FROM tickets t
        WHERE (t.workspace_id, t.id) IN (
          SELECT workspace_id, ticket_id FROM ticket_sla_metrics
           WHERE status = 'active' AND due_at <= $2 AND (due_at <= $1 OR warned_at IS NULL)
           ORDER BY due_at LIMIT $3)
        FOR UPDATE OF t SKIP LOCKED`,
      [now, warnUntil, limit],
    );
  }

  /** Re-read under the ticket lock: what another scanner finished before we locked is no longer active here. */
  async activeDue(manager: EntityManager, workspaceId: string, ticketId: string, until: Date): Promise<DueMetric[]> {
    const rows: Array<{ metric: SlaMetric; cycle: number; due_at: Date; warned_at: Date | null }> = await manager.query(
      `SELECT metric, cycle, due_at, warned_at FROM ticket_sla_metrics
        WHERE workspace_id = $1 AND ticket_id = $2 AND status = 'active' AND due_at <= $3 ORDER BY due_at, metric`,
      [workspaceId, ticketId, until],
    );
    return rows.map((row) => ({ workspaceId, ticketId, metric: row.metric, cycle: row.cycle, dueAt: row.due_at, warnedAt: row.warned_at }));
  }

  async markBreached(manager: EntityManager, metric: DueMetric, now: Date): Promise<void> {
    await manager.query(
      `UPDATE ticket_sla_metrics SET status = 'breached', breached_at = due_at, updated_at = $5
        WHERE workspace_id = $1 AND ticket_id = $2 AND metric = $3 AND cycle = $4`,
      [metric.workspaceId, metric.ticketId, metric.metric, metric.cycle, now],
    );
  }

  async markWarned(manager: EntityManager, metric: DueMetric, now: Date): Promise<void> {
    await manager.query(
      `UPDATE ticket_sla_metrics SET warned_at = $5, updated_at = $5 WHERE workspace_id = $1 AND ticket_id = $2 AND metric = $3 AND cycle = $4`,
      [metric.workspaceId, metric.ticketId, metric.metric, metric.cycle, now],
    );
  }
}
