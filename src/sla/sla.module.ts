import { Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { TypeOrmModule } from '@nestjs/typeorm';
import { OrganizationsModule } from '../organizations/organizations.module';
import { TeamsModule } from '../teams/teams.module';
import { TicketsModule } from '../tickets/tickets.module';
import { AutoCloser } from './breaches/auto-closer';
import { BreachScanner } from './breaches/breach-scanner';
import { SlaScheduler } from './breaches/sla-scheduler';
import { BusinessHoursController } from './business-hours/business-hours.controller';
import { BusinessHoursResolver } from './business-hours/business-hours.resolver';
import { BusinessHoursRepository } from './business-hours/business-hours.repository';
import { BusinessHoursService } from './business-hours/business-hours.service';
import { BusinessHoursEntity } from './business-hours/entities/business-hours.entity';
import { SlaClockListener } from './clocks/sla-clock.listener';
import { TicketSlaRepository } from './clocks/ticket-sla.repository';
import { SlaMetrics } from './breaches/sla-metrics';
import { SlaPolicyEntity } from './policies/entities/sla-policy.entity';
import { SlaPoliciesController } from './policies/sla-policies.controller';
import { SlaPoliciesResolver } from './policies/sla-policies.resolver';
import { SlaPoliciesRepository } from './policies/sla-policies.repository';
import { SlaPoliciesService } from './policies/sla-policies.service';
import { OpenTicketsSlaRecompute } from './recompute/open-tickets-sla-recompute';
import { SlaReportController } from './reports/sla-report.controller';
import { SlaReportRepository } from './reports/sla-report.repository';
import { SlaReportService } from './reports/sla-report.service';
import { SlaSettingsController } from './settings/sla-settings.controller';
import { SlaSettingsRepository } from './settings/sla-settings.repository';
import { SlaSettingsResolver } from './settings/sla-settings.resolver';
import { SlaSettingsService } from './settings/sla-settings.service';
import { TicketSlaReadModel } from './ticket-sla-projection';

@Module({
  imports: [TypeOrmModule.forFeature([BusinessHoursEntity, SlaPolicyEntity]), ScheduleModule.forRoot(), TicketsModule, TeamsModule, OrganizationsModule],
  controllers: [BusinessHoursController, SlaPoliciesController, SlaSettingsController, SlaReportController],
  providers: [
    BusinessHoursService,
    BusinessHoursRepository,
    BusinessHoursResolver,
    SlaPoliciesService,
    SlaPoliciesResolver,
    SlaPoliciesRepository,
    OpenTicketsSlaRecompute,
    TicketSlaRepository,
    SlaMetrics,
    SlaClockListener,
    BreachScanner,
    AutoCloser,
    SlaScheduler,
    SlaSettingsService,
    SlaSettingsRepository,
    SlaSettingsResolver,
    SlaReportService,
    TicketSlaReadModel,
    SlaReportRepository,
  ],
  exports: [BusinessHoursService],
})
export class SlaModule {}
