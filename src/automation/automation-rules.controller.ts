import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { AdminOnly, CurrentPrincipal } from '../auth/auth.decorators';
import { Principal } from '../auth/principal';
import { PageQuery } from '../common/dto/list-query.dto';
import { IdParamPipe } from '../common/http/id-param.pipe';
import { Page } from '../common/pagination/cursor';
import { AutomationRulesService } from './automation-rules.service';
import {
  AutomationRuleListView, AutomationRuleView, CreateAutomationRuleInput, RuleTestReportView, TestAutomationRulesInput, UpdateAutomationRuleInput,
} from './dto/automation-rule.dto';
import { RuleTesterService } from './rule-tester/rule-tester.service';

@ApiTags('Automation rules')
@ApiBearerAuth()
@Controller('v1/automation-rules')
export class AutomationRulesController {
  constructor(private readonly rules: AutomationRulesService, private readonly tester: RuleTesterService) {}

  @Get()
  @ApiOkResponse({ type: AutomationRuleListView, description: 'In the order they run (position).' })
  list(@CurrentPrincipal() principal: Principal, @Query() page: PageQuery): Promise<Page<AutomationRuleView>> {
    return this.rules.list(principal, page);
  }

  @Post('test')
  @HttpCode(200)
  @ApiOkResponse({ type: RuleTestReportView, description: 'Which rules would fire and what they would change; nothing is written.' })
  test(@CurrentPrincipal() principal: Principal, @Body() input: TestAutomationRulesInput): Promise<RuleTestReportView> {
    return this.tester.test(principal, input);
  }

  @Get(':id')
  @ApiOkResponse({ type: AutomationRuleView })
  get(@CurrentPrincipal() principal: Principal, @Param('id', IdParamPipe) id: string): Promise<AutomationRuleView> {
    return this.rules.get(principal, id);
  }

  @Post()
  @AdminOnly()
  @ApiCreatedResponse({ type: AutomationRuleView })
  create(@CurrentPrincipal() principal: Principal, @Body() input: CreateAutomationRuleInput): Promise<AutomationRuleView> {
    return this.rules.create(principal, input);
  }

  @Patch(':id')
  @AdminOnly()
  @ApiOkResponse({ type: AutomationRuleView })
  update(@CurrentPrincipal() principal: Principal, @Param('id', IdParamPipe) id: string, @Body() input: UpdateAutomationRuleInput): Promise<AutomationRuleView> {
    return this.rules.update(principal, id, input);
  }

  @Delete(':id')
  @AdminOnly()
  @HttpCode(204)
  @ApiNoContentResponse()
  async delete(@CurrentPrincipal() principal: Principal, @Param('id', IdParamPipe) id: string): Promise<void> {
    await this.rules.delete(principal, id);
  }
}
