import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
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
  @ApiOperation({ summary: 'List automation rules', description: 'Any agent or admin. In the order they run (position), paged with limit and cursor.' })
  @ApiOkResponse({ type: AutomationRuleListView, description: 'In the order they run (position).' })
  list(@CurrentPrincipal() principal: Principal, @Query() page: PageQuery): Promise<Page<AutomationRuleView>> {
    return this.rules.list(principal, page);
  }

  @Post('test')
  @ApiOperation({
    summary: 'Dry-run the automation rules',
    description:
      'Any agent or admin. Evaluates the workspace\'s rules against an existing ticket (ticketId) or a draft ticket and message, and reports which rules would fire and what they would change; nothing is written and no event is emitted.',
  })
  @HttpCode(200)
  @ApiOkResponse({ type: RuleTestReportView, description: 'Which rules would fire and what they would change; nothing is written.' })
  test(@CurrentPrincipal() principal: Principal, @Body() input: TestAutomationRulesInput): Promise<RuleTestReportView> {
    return this.tester.test(principal, input);
  }

  @Get(':id')
  @ApiOperation({ summary: 'Get an automation rule', description: 'Any agent or admin. 404 for a rule of another workspace.' })
  @ApiOkResponse({ type: AutomationRuleView })
  get(@CurrentPrincipal() principal: Principal, @Param('id', IdParamPipe) id: string): Promise<AutomationRuleView> {
    return this.rules.get(principal, id);
  }

  @Post()
  @ApiOperation({
    summary: 'Create an automation rule',
    description:
      'Admins only. Runs on the listed ticket events (one to three) when its conditions match (all of them and any of them), applying its actions in the same transaction as the change that triggered it. Conditions and actions are validated against the shared vocabulary (422 naming the field). Emits automation_rule.created.',
  })
  @AdminOnly()
  @ApiCreatedResponse({ type: AutomationRuleView })
  create(@CurrentPrincipal() principal: Principal, @Body() input: CreateAutomationRuleInput): Promise<AutomationRuleView> {
    return this.rules.create(principal, input);
  }

  @Patch(':id')
  @ApiOperation({
    summary: 'Update an automation rule',
    description:
      'Admins only. Changes only the fields sent; conditions and actions are replaced as a whole. Emits automation_rule.updated with the previous state.',
  })
  @AdminOnly()
  @ApiOkResponse({ type: AutomationRuleView })
  update(@CurrentPrincipal() principal: Principal, @Param('id', IdParamPipe) id: string, @Body() input: UpdateAutomationRuleInput): Promise<AutomationRuleView> {
    return this.rules.update(principal, id, input);
  }

  @Delete(':id')
  @ApiOperation({ summary: 'Delete an automation rule', description: 'Admins only. The rule stops running at once. Emits automation_rule.deleted.' })
  @AdminOnly()
  @HttpCode(204)
  @ApiNoContentResponse()
  async delete(@CurrentPrincipal() principal: Principal, @Param('id', IdParamPipe) id: string): Promise<void> {
    await this.rules.delete(principal, id);
  }
}
