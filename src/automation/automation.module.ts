import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { MacrosModule } from '../macros/macros.module';
import { SlaModule } from '../sla/sla.module';
import { TicketsModule } from '../tickets/tickets.module';
import { AutomationEngine } from './automation-engine';
import { AutomationRulesController } from './automation-rules.controller';
import { AutomationRulesResolver } from './automation-rules.resolver';
import { AutomationRulesRepository } from './automation-rules.repository';
import { AutomationRulesService } from './automation-rules.service';
import { AutomationRuleEntity } from './entities/automation-rule.entity';
import { RuleCalendars } from './rule-calendars';
import { RuleTesterService } from './rule-tester/rule-tester.service';
import { TimeMarksListener } from './time-rules/time-marks.listener';
import { TimeRuleRunner } from './time-rules/time-rule-runner';
import { TimeRuleScheduler } from './time-rules/time-rule-scheduler';
import { TimeRulesRepository } from './time-rules/time-rules.repository';

@Module({
  imports: [TypeOrmModule.forFeature([AutomationRuleEntity]), TicketsModule, MacrosModule, SlaModule],
  controllers: [AutomationRulesController],
  providers: [
    AutomationRulesService, AutomationRulesRepository, AutomationEngine, RuleTesterService, AutomationRulesResolver, RuleCalendars,
    TimeRulesRepository, TimeMarksListener, TimeRuleRunner, TimeRuleScheduler,
  ],
  exports: [AutomationRulesService],
})
export class AutomationModule {}
