import { Injectable, Logger } from '@nestjs/common';
import { systemPrincipal } from '../../auth/principal';
import { Clock } from '../../common/clock';
import { DomainError } from '../../common/errors/domain-errors';
import { TransactionRunner } from '../../database/transaction-runner';
import { TicketAction } from '../../macros/actions/ticket-action.dto';
import { TicketActions } from '../../macros/actions/ticket-actions';
import { TicketsService } from '../../tickets/tickets.service';
import { actingAsRule } from '../automation-engine';
import { AutomationRuleEntity } from '../entities/automation-rule.entity';
import { CompiledCalendars, RuleCalendars } from '../rule-calendars';
import { conditionsHold, periodStart } from '../rule-conditions';
import { subjectOf } from '../rule-subject';
import { candidateFilter, sincePrevious } from './time-rule-candidates';
import { TimeRulesRepository } from './time-rules.repository';

const BATCH = 500;

export interface TimeRulePass {
  rules: number;
  candidates: number;
  fired: number;
}

/**
 * One evaluation pass of every enabled time rule. Per rule, one indexed query returns the tickets that can match and
 * have not had the rule in their current period (after a first complete pass, only those that crossed a bound or
 * changed since the previous one); each is then checked exactly (business minutes, the other
 * conditions) in its own transaction, which inserts the firing row (workspace, rule, ticket, period start) and
 * applies the rule's actions through the ticket-change use case. The firing row's key makes the rule fire once per
 * period even when several instances run the pass at the same time: the second insert waits for the first
 * transaction and then finds the row.
 */
@Injectable()
export class TimeRuleRunner {
  private readonly logger = new Logger(TimeRuleRunner.name);

  constructor(
    private readonly transactions: TransactionRunner,
    private readonly repository: TimeRulesRepository,
    private readonly tickets: TicketsService,
    private readonly actions: TicketActions,
    private readonly calendars: RuleCalendars,
    private readonly clock: Clock,
  ) {}

  async runOnce(): Promise<TimeRulePass> {
    const now = this.clock.now();
    const rules = await this.repository.enabledTimeRules(this.transactions.manager);
    const pass: TimeRulePass = { rules: rules.length, candidates: 0, fired: 0 };
    const compiled = new Map<string, CompiledCalendars>();
    for (const rule of rules) {
      let filter = candidateFilter(rule.conditions, now);
      if (!filter) continue;
      if (!compiled.has(rule.workspaceId)) compiled.set(rule.workspaceId, new Map());
      const calendars = compiled.get(rule.workspaceId)!;
      await this.calendars.openAt(systemPrincipal(rule.workspaceId), [rule], now, calendars);
      const previous = await this.repository.lastPass(this.transactions.manager, rule.workspaceId, rule.id, rule.updatedAt);
      if (previous) filter = sincePrevious(filter, rule.conditions, previous, calendars);
      let after: string | null = null;
      for (;;) {
        const batch = await this.repository.candidates(this.transactions.manager, rule.workspaceId, rule.id, filter, after, BATCH);
        pass.candidates += batch.length;
        for (const candidate of batch) {
          if (await this.fire(rule, candidate.ticketId, now, compiled.get(rule.workspaceId)!)) pass.fired += 1;
        }
        if (batch.length < BATCH) break;
        after = batch[batch.length - 1].ticketId;
      }
      await this.repository.recordPass(this.transactions.manager, rule.workspaceId, rule.id, rule.updatedAt, now);
    }
    return pass;
  }

  /** Re-reads the ticket and its marks in the firing's transaction, so a change since the candidate query counts. */
  private fire(rule: AutomationRuleEntity, ticketId: string, now: Date, compiled: CompiledCalendars): Promise<boolean> {
    const principal = systemPrincipal(rule.workspaceId);
    return this.transactions.run(async (manager) => {
      const marks = await this.repository.marks(manager, rule.workspaceId, ticketId);
      if (!marks) return false;
      const ticket = await this.tickets.get(principal, ticketId);
      if (ticket.status === 'closed') return false;
      const openCalendars = await this.calendars.openAt(principal, [rule], now, compiled);
      const subject = { ...subjectOf(ticket, '', {}, openCalendars), time: { now, marks, calendars: compiled } };
      if (!conditionsHold(rule.conditions, subject)) return false;
      const start = periodStart(rule.conditions, marks);
      if (!start || !(await this.repository.claimFiring(manager, rule.workspaceId, rule.id, ticketId, start, now))) return false;
      try {
        await this.actions.apply(manager, actingAsRule(principal, rule), ticket, rule.actions as TicketAction[], {
          reason: 'rule', data: { rule: { id: rule.id, name: rule.name }, reason: 'time_rule' },
        }, null);
      } catch (error) {
        // Every check runs before the first write, so the firing row stays and the rule is not retried in this period.
        if (!(error instanceof DomainError)) throw error;
        this.logger.warn(`time rule ${rule.id} skipped on ticket ${ticketId}: ${error.message}`);
      }
      return true;
    });
  }
}
