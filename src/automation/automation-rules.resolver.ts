import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { connection } from '../graphql/connection';
import { AdminOnly, CurrentPrincipal } from '../auth/auth.decorators';
import { Principal } from '../auth/principal';
import { IdParamPipe } from '../common/http/id-param.pipe';
import { AutomationRulesService, ruleCursor } from './automation-rules.service';
import {
  AutomationRuleConnection, AutomationRulesArgs, AutomationRuleView, CreateAutomationRuleInput, RuleTestReportView, TestAutomationRulesInput, UpdateAutomationRuleInput,
} from './dto/automation-rule.dto';
import { RuleTesterService } from './rule-tester/rule-tester.service';

@Resolver(() => AutomationRuleView)
export class AutomationRulesResolver {
  constructor(private readonly rules: AutomationRulesService, private readonly tester: RuleTesterService) {}

  @Query(() => AutomationRuleConnection, { description: 'In the order they run.' })
  automationRules(@CurrentPrincipal() principal: Principal, @Args() args: AutomationRulesArgs): Promise<AutomationRuleConnection> {
    return connection(() => this.rules.list(principal, { limit: args.first, cursor: args.after }), ruleCursor);
  }

  @Query(() => AutomationRuleView)
  automationRule(@CurrentPrincipal() principal: Principal, @Args('id', { type: () => ID }, IdParamPipe) id: string): Promise<AutomationRuleView> {
    return this.rules.get(principal, id);
  }

  @Query(() => RuleTestReportView)
  testAutomationRules(@CurrentPrincipal() principal: Principal, @Args('input') input: TestAutomationRulesInput): Promise<RuleTestReportView> {
    return this.tester.test(principal, input);
  }

  @Mutation(() => AutomationRuleView)
  @AdminOnly()
  createAutomationRule(@CurrentPrincipal() principal: Principal, @Args('input') input: CreateAutomationRuleInput): Promise<AutomationRuleView> {
    return this.rules.create(principal, input);
  }

  @Mutation(() => AutomationRuleView)
  @AdminOnly()
  updateAutomationRule(
    @CurrentPrincipal() principal: Principal,
    @Args('id', { type: () => ID }, IdParamPipe) id: string,
    @Args('input') input: UpdateAutomationRuleInput,
  ): Promise<AutomationRuleView> {
    return this.rules.update(principal, id, input);
  }

  @Mutation(() => ID)
  @AdminOnly()
  async deleteAutomationRule(@CurrentPrincipal() principal: Principal, @Args('id', { type: () => ID }, IdParamPipe) id: string): Promise<string> {
    await this.rules.delete(principal, id);
    return id;
  }
}
