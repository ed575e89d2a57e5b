import { Controller, Get, Headers, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentPrincipal } from '../auth/auth.decorators';
import { Principal } from '../auth/principal';
import { BreakdownQuery, BreakdownRowView, BreakdownView, OverviewIntervalView, OverviewQuery, OverviewView, ReportFigures } from './dto/report.dto';
import { SLA_METRICS } from '../sla/policies/sla-policy-rules';
import { CsvColumn, toCsv } from './report-csv';
import { ReportsService } from './reports.service';

const FIGURE_COLUMNS: CsvColumn<ReportFigures>[] = [
  { header: 'created', value: (r) => r.created },
  { header: 'resolved', value: (r) => r.resolved },
  { header: 'reopened', value: (r) => r.reopened },
  { header: 'first_response_median_minutes', value: (r) => r.firstResponseMedianMinutes },
  { header: 'first_response_p90_minutes', value: (r) => r.firstResponseP90Minutes },
  { header: 'resolution_median_minutes', value: (r) => r.resolutionMedianMinutes },
  { header: 'resolution_p90_minutes', value: (r) => r.resolutionP90Minutes },
  { header: 'satisfaction_good', value: (r) => r.satisfactionGood },
  { header: 'satisfaction_bad', value: (r) => r.satisfactionBad },
  { header: 'satisfaction_score', value: (r) => r.satisfactionScore },
];
// Added after the original columns so spreadsheets that read columns by position keep working.
const UNIT_AND_SLA_COLUMNS: CsvColumn<ReportFigures>[] = [
  { header: 'first_response_unit', value: (r) => r.firstResponseUnit },
  { header: 'resolution_unit', value: (r) => r.resolutionUnit },
  ...SLA_METRICS.flatMap((metric, index): CsvColumn<ReportFigures>[] => [
    { header: `sla_${metric}_met`, value: (r) => r.slaAchievement[index].met },
    { header: `sla_${metric}_breached`, value: (r) => r.slaAchievement[index].breached },
    { header: `sla_${metric}_percentage`, value: (r) => r.slaAchievement[index].percentage },
  ]),
];
const OVERVIEW_COLUMNS: CsvColumn<OverviewIntervalView>[] = [
  { header: 'date', value: (r) => r.date },
  { header: 'starts_at', value: (r) => r.startsAt },
  { header: 'ends_at', value: (r) => r.endsAt },
  ...FIGURE_COLUMNS,
  { header: 'backlog', value: (r) => r.backlog },
  ...UNIT_AND_SLA_COLUMNS,
];
const BREAKDOWN_COLUMNS: CsvColumn<BreakdownRowView>[] = [{ header: 'key', value: (r) => r.key }, { header: 'label', value: (r) => r.label }, ...FIGURE_COLUMNS, ...UNIT_AND_SLA_COLUMNS];

const wantsCsv = (accept?: string) => /\btext\/csv\b/i.test(accept ?? '');
const CSV_TYPE = 'text/csv; charset=utf-8; header=present';

@ApiTags('Reports')
@ApiBearerAuth()
@ApiProduces('application/json', 'text/csv')
@Controller('v1/reports')
export class ReportsController {
  constructor(private readonly reports: ReportsService) {}

  @Get('overview')
  @ApiOperation({
    summary: 'Helpdesk overview report',
    description:
      'Any agent or admin. Per day, week or month from..to in a time zone (default the last 30 days, UTC): tickets created, resolved and reopened, first-response and resolution medians and 90th percentiles, satisfaction, backlog and SLA achievement; optionally for one team or agent. Send Accept: text/csv for one CSV row per interval.',
  })
  @ApiOkResponse({ type: OverviewView, description: 'Per interval; `Accept: text/csv` answers one CSV row per interval.' })
  async overview(
    @CurrentPrincipal() principal: Principal,
    @Query() query: OverviewQuery,
    @Headers('accept') accept: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<OverviewView | string> {
    const report = await this.reports.overview(principal, query);
    if (!wantsCsv(accept)) return report;
    void reply.header('content-type', CSV_TYPE);
    return toCsv(OVERVIEW_COLUMNS, report.intervals);
  }

  @Get('breakdown')
  @ApiOperation({
    summary: 'Helpdesk breakdown report',
    description:
      'Any agent or admin. The same figures as the overview for the period, one row per agent, team, channel, priority or tag. Send Accept: text/csv for CSV.',
  })
  @ApiOkResponse({ type: BreakdownView, description: 'One row per agent, team, channel, priority or tag; `Accept: text/csv` answers CSV.' })
  async breakdown(
    @CurrentPrincipal() principal: Principal,
    @Query() query: BreakdownQuery,
    @Headers('accept') accept: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<BreakdownView | string> {
    const report = await this.reports.breakdown(principal, query);
    if (!wantsCsv(accept)) return report;
    void reply.header('content-type', CSV_TYPE);
    return toCsv(BREAKDOWN_COLUMNS, report.rows);
  }
}
