import { Injectable } from '@nestjs/common';
import { Principal } from '../auth/principal';
import { Clock } from '../common/clock';
import { TransactionRunner } from '../database/transaction-runner';
import { BreakdownQuery, BreakdownView, DurationUnit, OverviewQuery, OverviewView, ReportFigures } from './dto/report.dto';
import { resolveReportWindow } from './report-window';
import { ReportsRepository } from './reports.repository';

/** One unit for a whole report: calendar when it has no durations, mixed as soon as two figures disagree. */
function reportUnit(figures: ReportFigures[]): DurationUnit {
  const units = new Set(figures.flatMap((f) => [f.firstResponseUnit, f.resolutionUnit]).filter((unit) => unit !== null));
  return units.size === 0 ? 'calendar' : units.size === 1 ? [...units][0] : 'mixed';
}

@Injectable()
export class ReportsService {
  constructor(
    private readonly transactions: TransactionRunner,
    private readonly repository: ReportsRepository,
    private readonly clock: Clock,
  ) {}

  async overview(principal: Principal, query: OverviewQuery): Promise<OverviewView> {
    const window = resolveReportWindow(query, this.clock.now());
    const intervals = await this.repository.overview(this.transactions.manager, principal.workspaceId, window, query);
    return { ...window, durationUnit: reportUnit(intervals), intervals };
  }

  async breakdown(principal: Principal, query: BreakdownQuery): Promise<BreakdownView> {
    const window = resolveReportWindow({ ...query, interval: 'day' }, this.clock.now());
    const rows = await this.repository.breakdown(this.transactions.manager, principal.workspaceId, window, query, query.by);
    return { from: window.from, to: window.to, timezone: window.timezone, by: query.by, durationUnit: reportUnit(rows), rows };
  }
}
