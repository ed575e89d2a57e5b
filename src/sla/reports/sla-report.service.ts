import { Injectable } from '@nestjs/common';
import { Principal } from '../../auth/principal';
import { ValidationFailed } from '../../common/errors/domain-errors';
import { TransactionRunner } from '../../database/transaction-runner';
import { TICKET_PRIORITIES } from '../../tickets/ticket-lifecycle';
import { SLA_METRICS } from '../policies/sla-policy-rules';
import { SlaReportView } from './sla-report.dto';
import { SlaReportRepository } from './sla-report.repository';

const MAX_RANGE_MS = 366 * 86_400_000;

@Injectable()
export class SlaReportService {
  constructor(private readonly transactions: TransactionRunner, private readonly outcomes: SlaReportRepository) {}

  /** Counts outcomes within [from, to): a cycle is met when fulfilled within target, breached when it passed its due time. */
  async report(principal: Principal, range: { from: string; to: string }): Promise<SlaReportView> {
    const from = new Date(range.from);
    const to = new Date(range.to);
    if (!(from < to)) throw ValidationFailed.field('to', 'must be after from');
    if (to.getTime() - from.getTime() > MAX_RANGE_MS) throw ValidationFailed.field('to', 'must be at most 366 days after from');
    const rows = await this.outcomes.outcomesByMetricAndPriority(this.transactions.manager, principal.workspaceId, from, to);
    const counts = new Map(rows.map((row) => [`${row.metric}:${row.priority}`, { met: row.met, breached: row.breached }]));
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
