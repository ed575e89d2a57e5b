import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { SLA_METRICS, SlaMetric } from '../sla/policies/sla-policy-rules';
import { BreakdownDimension, BreakdownRowView, DurationUnit, OverviewIntervalView, ReportFigures } from './dto/report.dto';
import { ReportWindow } from './report-window';

export interface ReportScope {
  teamId?: string;
  agentId?: string;
  organizationId?: string;
  channel?: string;
}

/** Per-dimension grouping key and label of a ticket; tags fan a ticket out to one row per tag. */
const DIMENSIONS: Record<BreakdownDimension, { key: string; label: string; join: string }> = {
  agent: { key: 't.assignee_id::text', label: `coalesce(a.name, 'Unassigned')`, join: 'LEFT JOIN agents a ON a.workspace_id = t.workspace_id AND a.id = t.assignee_id' },
  team: { key: 't.team_id::text', label: `coalesce(tm.name::text, 'No team')`, join: 'LEFT JOIN teams tm ON tm.workspace_id = t.workspace_id AND tm.id = t.team_id' },
  organization: {
    key: 't.organization_id::text', label: `coalesce(o.name::text, 'No organization')`,
    join: 'LEFT JOIN organizations o ON o.workspace_id = t.workspace_id AND o.id = t.organization_id',
  },
  channel: { key: 't.channel', label: 't.channel', join: '' },
  priority: { key: 't.priority', label: 't.priority', join: '' },
  tag: { key: 'tag.name', label: `coalesce(tag.name, 'Untagged')`, join: 'LEFT JOIN LATERAL unnest(t.tags) AS tag(name) ON true' },
};

const slaCounts = SLA_METRICS.map((metric) => `
  count(*) FILTER (WHERE kind = 'sla_met' AND metric = '${metric}')::int AS ${metric}_met,
  count(*) FILTER (WHERE kind = 'sla_breached' AND metric = '${metric}')::int AS ${metric}_breached`).join(',');

const FIGURES = `
  count(*) FILTER (WHERE kind = 'created')::int AS created,
  count(*) FILTER (WHERE kind = 'resolved')::int AS resolved,
  count(*) FILTER (WHERE kind = 'reopened')::int AS reopened,
  round((percentile_cont(0.5) WITHIN GROUP (ORDER BY minutes) FILTER (WHERE kind = 'first_response'))::numeric, 1)::float8 AS first_response_median,
  round((percentile_cont(0.9) WITHIN GROUP (ORDER BY minutes) FILTER (WHERE kind = 'first_response'))::numeric, 1)::float8 AS first_response_p90,
  count(*) FILTER (WHERE kind = 'first_response')::int AS first_responses,
  count(*) FILTER (WHERE kind = 'first_response' AND business)::int AS first_responses_business,
  round((percentile_cont(0.5) WITHIN GROUP (ORDER BY minutes) FILTER (WHERE kind = 'resolved'))::numeric, 1)::float8 AS resolution_median,
  round((percentile_cont(0.9) WITHIN GROUP (ORDER BY minutes) FILTER (WHERE kind = 'resolved'))::numeric, 1)::float8 AS resolution_p90,
  count(*) FILTER (WHERE kind = 'resolved' AND business)::int AS resolutions_business,
  count(*) FILTER (WHERE kind = 'rating_good')::int AS good,
  count(*) FILTER (WHERE kind = 'rating_bad')::int AS bad,${slaCounts}`;

type SlaCountRow = { [K in `${SlaMetric}_${'met' | 'breached'}`]: number };

/** The integer columns of FIGURES, which an interval without activity reports as 0. */
const COUNTS = [
  'created', 'resolved', 'reopened', 'first_responses', 'first_responses_business', 'resolutions_business', 'good', 'bad',
  ...SLA_METRICS.flatMap((metric) => [`${metric}_met`, `${metric}_breached`]),
];

interface FigureRow extends SlaCountRow {
  created: number;
  resolved: number;
  reopened: number;
  first_response_median: number | null;
  first_response_p90: number | null;
  first_responses: number;
  first_responses_business: number;
  resolution_median: number | null;
  resolution_p90: number | null;
  resolutions_business: number;
  good: number;
  bad: number;
}

/** The unit of a percentile over `samples` durations of which `business` are in business minutes; null without samples. */
function unitOf(samples: number, business: number): DurationUnit | null {
  if (samples === 0) return null;
  return business === samples ? 'business' : business === 0 ? 'calendar' : 'mixed';
}

const percentage = (part: number, whole: number) => (whole === 0 ? null : Math.round((1000 * part) / whole) / 10);

function toFigures(row: FigureRow): ReportFigures {
  return {
    created: row.created,
    resolved: row.resolved,
    reopened: row.reopened,
    firstResponseMedianMinutes: row.first_response_median,
    firstResponseP90Minutes: row.first_response_p90,
    firstResponseUnit: unitOf(row.first_responses, row.first_responses_business),
    resolutionMedianMinutes: row.resolution_median,
    resolutionP90Minutes: row.resolution_p90,
    resolutionUnit: unitOf(row.resolved, row.resolutions_business),
    satisfactionGood: row.good,
    satisfactionBad: row.bad,
    satisfactionScore: percentage(row.good, row.good + row.bad),
    slaAchievement: SLA_METRICS.map((metric) => {
      const met = row[`${metric}_met`];
      const breached = row[`${metric}_breached`];
      return { metric, met, breached, percentage: percentage(met, met + breached) };
    }),
  };
}

/**
 * Reports are aggregated in PostgreSQL from the ticket tables, never by loading tickets. Every measured fact
 * becomes one "activity" row (a creation, a first reply, a resolution or reopen from the status history, a rating)
 * stamped with its time, so intervals and breakdowns are one GROUP BY over the same stream.
 */
@Injectable()
export class ReportsRepository {
  async overview(manager: EntityManager, workspaceId: string, window: ReportWindow, scope: ReportScope): Promise<OverviewIntervalView[]> {
    const { sql, params } = this.activity(workspaceId, window, scope, null);
    const rows: Array<FigureRow & { date: string; starts_at: Date; ends_at: Date; backlog: number }> = await manager.query(
      `${sql},
       buckets AS (
         SELECT greatest(s, w.local_from) AS local_start, least(s + ('1 ' || $5)::interval, w.local_to) AS local_end
           FROM window_ w, generate_series(date_trunc($5, w.local_from), w.local_to - interval '1 microsecond', ('1 ' || $5)::interval) AS s
       ),
       per_bucket AS (
         SELECT greatest(date_trunc($5, a.at AT TIME ZONE $2), w.local_from) AS local_start, ${FIGURES}
           FROM activity a, window_ w
          WHERE a.at >= w.range_start AND a.at < w.range_end
          GROUP BY 1
       ),
       opening AS (
         SELECT (SELECT count(*) FROM scoped, window_ w WHERE scoped.created_at < w.range_start)
              - (SELECT coalesce(sum(direction), 0) FROM transitions, window_ w WHERE transitions.at < w.range_start) AS backlog
       )
       SELECT to_char(b.local_start, 'YYYY-MM-DD') AS date, b.local_start AT TIME ZONE $2 AS starts_at, b.local_end AT TIME ZONE $2 AS ends_at,
              p.first_response_median, p.first_response_p90, p.resolution_median, p.resolution_p90,
              ${COUNTS.map((count) => `coalesce(p.${count}, 0) AS ${count}`).join(', ')},
              (o.backlog + sum(coalesce(p.created, 0) - coalesce(p.resolved, 0) + coalesce(p.reopened, 0)) OVER (ORDER BY b.local_start))::int AS backlog
         FROM buckets b CROSS JOIN opening o LEFT JOIN per_bucket p ON p.local_start = b.local_start
        ORDER BY b.local_start`,
      params,
    );
    return rows.map((row) => ({ date: row.date, startsAt: row.starts_at, endsAt: row.ends_at, backlog: row.backlog, ...toFigures(row) }));
  }

  async breakdown(manager: EntityManager, workspaceId: string, window: ReportWindow, scope: ReportScope, by: BreakdownDimension): Promise<BreakdownRowView[]> {
    const { sql, params } = this.activity(workspaceId, window, scope, by);
    const rows: Array<FigureRow & { key: string | null; label: string }> = await manager.query(
      `${sql}
       SELECT a.key, a.label, ${FIGURES}
         FROM activity a, window_ w
        WHERE a.at >= w.range_start AND a.at < w.range_end
        GROUP BY a.key, a.label
        ORDER BY count(*) FILTER (WHERE kind = 'created') DESC, a.label, a.key`,
      params,
    );
    return rows.map((row) => ({ key: row.key, label: row.label, ...toFigures(row) }));
  }

  /** The window, the scoped tickets and the activity stream; $2 is the time zone, $3 and $4 the local days, $5 the interval. */
  private activity(workspaceId: string, window: ReportWindow, scope: ReportScope, by: BreakdownDimension | null): { sql: string; params: unknown[] } {
    const params: unknown[] = [workspaceId, window.timezone, window.from, window.to, window.interval];
    const where = ['t.workspace_id = $1'];
    const bind = (value: unknown) => `$${params.push(value)}`;
    if (scope.teamId) where.push(`t.team_id = ${bind(scope.teamId)}::uuid`);
    if (scope.organizationId) where.push(`t.organization_id = ${bind(scope.organizationId)}::uuid`);
    if (scope.agentId) where.push(`t.assignee_id = ${bind(scope.agentId)}::uuid`);
    if (scope.channel) where.push(`t.channel = ${bind(scope.channel)}`);
    const dimension = by ? DIMENSIONS[by] : { key: 'NULL::text', label: 'NULL::text', join: '' };
    const resolvedStatus = (side: 'before' | 'after') => `(e.changes->'status'->>'${side}') IN ('resolved', 'closed')`;
    const sql = `
      WITH window_ AS (
        SELECT $5::text AS step, $3::date::timestamp AS local_from, ($4::date + 1)::timestamp AS local_to,
               $3::date::timestamp AT TIME ZONE $2 AS range_start, ($4::date + 1)::timestamp AT TIME ZONE $2 AS range_end
      ),
      scoped AS MATERIALIZED (
        SELECT t.id, t.created_at, t.first_responded_at, ${dimension.key} AS key, ${dimension.label} AS label
          FROM tickets t ${dimension.join}
         WHERE ${where.join(' AND ')}
      ),
      transitions AS MATERIALIZED (
        SELECT * FROM (
          SELECT e.created_at AS at, s.id AS ticket_id, s.key, s.label, extract(epoch FROM e.created_at - s.created_at) / 60 AS minutes,
                 CASE WHEN ${resolvedStatus('after')} THEN 1 ELSE -1 END AS direction,
                 row_number() OVER (PARTITION BY s.id, s.key ORDER BY e.created_at DESC, e.id DESC) = 1 AS latest
            FROM ticket_events e JOIN scoped s ON s.id = e.ticket_id
           WHERE e.workspace_id = $1 AND e.type = 'ticket.status_changed'
             AND ${resolvedStatus('after')} <> ${resolvedStatus('before')}
        ) moves
        WHERE at < (SELECT range_end FROM window_)
      ),
      activity AS (
        SELECT created_at AS at, key, label, 'created' AS kind, NULL::float8 AS minutes, NULL::boolean AS business, NULL::text AS metric FROM scoped
        UNION ALL
        -- Business minutes when the first response clock ran on a calendar (the ticket's policy had business hours).
        SELECT s.first_responded_at, s.key, s.label, 'first_response',
               CASE WHEN m.ticket_id IS NOT NULL THEN m.accumulated_ms / 60000.0 ELSE extract(epoch FROM s.first_responded_at - s.created_at) / 60 END,
               m.ticket_id IS NOT NULL, NULL
          FROM scoped s
          LEFT JOIN ticket_sla_metrics m ON m.workspace_id = $1 AND m.ticket_id = s.id AND m.metric = 'first_response' AND m.cycle = 1
               AND m.business_hours_id IS NOT NULL AND m.fulfilled_at IS NOT NULL
         WHERE s.first_responded_at >= (SELECT range_start FROM window_) AND s.first_responded_at < (SELECT range_end FROM window_)
        UNION ALL
        -- The resolution clock holds the business time of the ticket's current resolution only; one that a reopen
        -- superseded has no business figure left and counts in calendar minutes.
        SELECT tr.at, tr.key, tr.label, CASE tr.direction WHEN 1 THEN 'resolved' ELSE 'reopened' END,
               CASE WHEN m.ticket_id IS NOT NULL THEN m.accumulated_ms / 60000.0 WHEN tr.direction = 1 THEN tr.minutes END,
               m.ticket_id IS NOT NULL, NULL
          FROM transitions tr
          LEFT JOIN ticket_sla_metrics m ON tr.direction = 1 AND tr.latest
               AND m.workspace_id = $1 AND m.ticket_id = tr.ticket_id AND m.metric = 'resolution' AND m.cycle = 1
               AND m.business_hours_id IS NOT NULL AND m.fulfilled_at IS NOT NULL
        UNION ALL
        SELECT r.created_at, s.key, s.label, 'rating_' || r.rating, NULL, NULL, NULL
          FROM satisfaction_ratings r JOIN scoped s ON s.id = r.ticket_id
         WHERE r.workspace_id = $1
        UNION ALL
        -- SLA outcomes of metric cycles with a target, at the time they were decided: met when fulfilled by the due
        -- time, breached at the due time (also when fulfilled late before the breach scan marked it).
        SELECT CASE WHEN late THEN m.due_at ELSE m.fulfilled_at END, s.key, s.label, CASE WHEN late THEN 'sla_breached' ELSE 'sla_met' END, NULL, NULL, m.metric
          FROM ticket_sla_metrics m JOIN scoped s ON s.id = m.ticket_id, LATERAL (SELECT m.due_at IS NOT NULL AND m.fulfilled_at > m.due_at AS late) l
         WHERE m.workspace_id = $1 AND m.status = 'fulfilled' AND m.target_minutes IS NOT NULL AND m.fulfilled_at >= (SELECT range_start FROM window_)
        UNION ALL
        SELECT m.breached_at, s.key, s.label, 'sla_breached', NULL, NULL, m.metric
          FROM ticket_sla_metrics m JOIN scoped s ON s.id = m.ticket_id
         WHERE m.workspace_id = $1 AND m.status = 'breached' AND m.target_minutes IS NOT NULL
           AND m.breached_at >= (SELECT range_start FROM window_) AND m.breached_at < (SELECT range_end FROM window_)
      )`;
    return { sql, params };
  }
}
