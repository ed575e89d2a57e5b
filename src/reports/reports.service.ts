import { Injectable } from '@nestjs/common';
import { Principal } from '../auth/principal';
import { TransactionRunner } from '../database/transaction-runner';
import { BreakdownQuery, BreakdownView, OverviewQuery, OverviewView } from './dto/report.dto';
import { resolveReportWindow } from './report-window';
import { ReportsRepository } from './reports.repository';

@Injectable()
export class ReportsService {
  constructor(private readonly transactions: TransactionRunner, private readonly repository: ReportsRepository) {}

  async overview(principal: Principal, query: OverviewQuery): Promise<OverviewView> {
    const window = resolveReportWindow(query, new Date());
    const intervals = await this.repository.overview(this.transactions.manager, principal.workspaceId, window, query);
    return { ...window, durationUnit: 'calendar', intervals };
  }

  async breakdown(principal: Principal, query: BreakdownQuery): Promise<BreakdownView> {
    const window = resolveReportWindow({ ...query, interval: 'day' }, new Date());
    const rows = await this.repository.breakdown(this.transactions.manager, principal.workspaceId, window, query, query.by);
    return { from: window.from, to: window.to, timezone: window.timezone, by: query.by, durationUnit: 'calendar', rows };
  }
}
