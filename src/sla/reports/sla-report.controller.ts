import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal } from '../../auth/auth.decorators';
import { Principal } from '../../auth/principal';
import { SlaReportQuery, SlaReportView } from './sla-report.dto';
import { SlaReportService } from './sla-report.service';

@ApiTags('Reports')
@ApiBearerAuth()
@Controller('v1/reports/sla')
export class SlaReportController {
  constructor(private readonly reports: SlaReportService) {}

  @Get()
  @ApiOperation({
    summary: 'SLA achievement report',
    description:
      'Any agent or admin. For the period from..to: per metric and priority, how many targets were met and breached and the percentage met.',
  })
  @ApiOkResponse({ type: SlaReportView, description: 'Per metric and priority: targets met, breached, and the percentage met.' })
  report(@CurrentPrincipal() principal: Principal, @Query() query: SlaReportQuery): Promise<SlaReportView> {
    return this.reports.report(principal, query);
  }
}
