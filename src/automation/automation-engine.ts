import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { AsyncLocalStorage } from 'node:async_hooks';
import { Principal } from '../auth/principal';
import { Clock } from '../common/clock';
import { DomainError } from '../common/errors/domain-errors';
import { TicketAction } from '../macros/actions/ticket-action.dto';
import { TicketActions } from '../macros/actions/ticket-actions';
import { TicketChangeContext, TicketChangeHooks, TicketChangeListener } from '../tickets/ticket-change-hooks';
import { TicketsService } from '../tickets/tickets.service';
import { AutomationRulesService } from './automation-rules.service';
import { AutomationRuleEntity } from './entities/automation-rule.entity';
import { CompiledCalendars, RuleCalendars } from './rule-calendars';
import { conditionsHold } from './rule-conditions';
import { changeFacts, subjectOf, triggerOf } from './rule-subject';

/** How many rule-made changes may trigger further rules in a row; with each rule firing once per chain, loops end. */
export const MAX_RULE_CHAIN_DEPTH = 3;

/** The rule itself is the actor of what it changes, so the history says which rule did what. */
export function actingAsRule(principal: Principal, rule: Pick<AutomationRuleEntity, 'id' | 'name'>): Principal {
  // Principal's actor type names callers; a rule is not one, so it is widened here, in the one place rules act.
  return { ...principal, agentId: null, actor: { type: 'automation_rule' as Principal['actor']['type'], id: rule.id, name: rule.name } };
}

/**
 * Runs the workspace's rules inside the transaction of the change that triggered them, in position order. A chain
 * (a change, the rule changes it causes, the changes those cause, ...) shares one set of fired rules, a depth and
 * the business-hours calendars its rules have compiled.
 */
@Injectable()
export class AutomationEngine implements TicketChangeListener, OnModuleInit {
  readonly order = 50;
  private readonly logger = new Logger(AutomationEngine.name);
  private readonly chain = new AsyncLocalStorage<{ depth: number; fired: Set<string>; calendars: CompiledCalendars }>();

  constructor(
    private readonly hooks: TicketChangeHooks,
    private readonly rules: AutomationRulesService,
    private readonly actions: TicketActions,
    private readonly tickets: TicketsService,
    private readonly calendars: RuleCalendars,
    private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    this.hooks.register(this);
  }

  async onTicketChanged({ manager, principal, ticket, changes }: TicketChangeContext): Promise<boolean> {
    const event = triggerOf(changes);
    if (!event) return false;
    const outer = this.chain.getStore();
    const depth = (outer?.depth ?? 0) + 1;
    if (depth > MAX_RULE_CHAIN_DEPTH) return false;
    const fired = outer?.fired ?? new Set<string>();
    const calendars: CompiledCalendars = outer?.calendars ?? new Map();
    const rules = await this.rules.enabledFor(manager, principal.workspaceId, event);
    if (rules.length === 0) return false;
    let applied = false;
    const { body, changed } = changeFacts(changes);
    const openCalendars = await this.calendars.openAt(principal, rules, this.clock.now(), calendars);
    let current = ticket;
    for (const rule of rules) {
      if (fired.has(rule.id) || current.status === 'closed') continue;
      if (!conditionsHold(rule.conditions, subjectOf(current, body, changed, openCalendars))) continue;
      fired.add(rule.id);
      const actor = actingAsRule(principal, rule);
      try {
        current = await this.chain.run({ depth, fired, calendars }, () =>
          this.actions.apply(manager, actor, current, rule.actions as TicketAction[], { reason: 'rule', data: { rule: { id: rule.id, name: rule.name } } }, null));
        applied = true;
      } catch (error) {
        // Every check runs before the first write, so a rejected rule (a transition it cannot make) leaves nothing behind.
        if (!(error instanceof DomainError)) throw error;
        this.logger.warn(`automation rule ${rule.id} skipped on ticket ${ticket.id}: ${error.message}`);
        current = await this.tickets.get(principal, ticket.id);
      }
    }
    return applied;
  }
}
