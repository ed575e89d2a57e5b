import { Injectable } from '@nestjs/common';
import { Principal } from '../../auth/principal';
import { ValidationFailed } from '../../common/errors/domain-errors';
import { TransactionRunner } from '../../database/transaction-runner';
import { TICKET_PRIORITIES } from '../../tickets/ticket-lifecycle';
import { SLA_METRICS } from '../policies/sla-policy-rules';
import { SlaReportView } from './sla-report.dto';

const MAX_RANGE_MS = 366 * 86_400_000;

@Injectable()
export class SlaReportService {
  constructor(private readonly transactions: TransactionRunner) {}

  /** Counts outcomes within [from, to): a cycle is met when fulfilled within target, breached when it passed its due time. */
  async report(principal: Principal, range: { from: string; to: string }): Promise<SlaReportView> {
    const from = new Date(range.from);
    const to = new Date(range.to);
    if (!(from < to)) throw ValidationFailed.field('to', 'must be after from');
    if (to.getTime() - from.getTime() > MAX_RANGE_MS) throw ValidationFailed.field('to', 'must be at most 366 days after from');
    const rows: Array<{ metric: string; priority: string; met: string; breached: string }> = await this.transactions.manager.query(
      `SELECT m.metric, t.priority,
              COUNT(*) FILTER (WHERE m.status = 'fulfilled') AS met,
              COUNT(*) FILTER (WHERE m.status = 'breached') AS breached
         FROM ticket_sla_metrics m
         JOIN tickets t ON t.workspace_id = m.workspace_id AND t.id = m.ticket_id
        WHERE m.workspace_id = $1 AND m.target_minutes IS NOT NULL
          AND ((m.status = 'fulfilled' AND m.fulfilled_at >= $2 AND m.fulfilled_at < $3)
            OR (m.status = 'breached' AND m.breached_at >= $2 AND m.breached_at < $3))
        GROUP BY m.metric, t.priority`,
      [principal.workspaceId, from, to],
    );
    const counts = new Map(rows.map((row) => [`${row.metric}:${row.priority}`, { met: Number(row.met), breached: Number(row.breached) }]));
    return {
      from,
      to,
      rows: SLA_METRICS.flatMap((metric) =>
        TICKET_PRIORITIES.map((priority) => {
          const { met, breached } = counts.get(`${metric}:${priority}`) ?? { met: 0, breached: 0 };
          const total = met + breached;
          return { metric, priority, met, breached, percentage: total === 0 ? null : Math.round((met / total) * 1000) / 10 };
        }),
      ),
    };
  }
}
