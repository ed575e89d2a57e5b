import { Injectable } from '@nestjs/common';
import { Clock } from '../common/clock';
import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { Principal } from '../auth/principal';
import { ResourceNotFound, ValidationFailed } from '../common/errors/domain-errors';
import { encodeCursor, Page } from '../common/pagination/cursor';
import { WorkspaceCache } from '../common/cache/workspace-cache';
import { TransactionRunner } from '../database/transaction-runner';
import { Outbox } from '../events/outbox';
import { TicketAction } from '../macros/actions/ticket-action.dto';
import { TicketActions } from '../macros/actions/ticket-actions';
import { renameTagInActions } from '../macros/actions/plan-actions';
import { AutomationRuleView, CreateAutomationRuleInput, RuleEvent, UpdateAutomationRuleInput } from './dto/automation-rule.dto';
import { AutomationRulesRepository } from './automation-rules.repository';
import { AutomationRuleEntity } from './entities/automation-rule.entity';
import { RuleCalendars } from './rule-calendars';
import { conditionErrors, RuleConditions, ruleShapeErrors } from './rule-conditions';

const BY_POSITION = 'position';

export function ruleCursor(rule: Pick<AutomationRuleView, 'id' | 'position'>): string {
  return encodeCursor(BY_POSITION, { sortValue: rule.position, id: rule.id });
}

export function toRuleView(rule: AutomationRuleEntity): AutomationRuleView {
  return {
    id: rule.id, name: rule.name, position: rule.position, enabled: rule.enabled, events: rule.events as RuleEvent[],
    conditions: rule.conditions, actions: rule.actions as TicketAction[], createdAt: rule.createdAt, updatedAt: rule.updatedAt,
  };
}

const withoutUndefined = <T extends object>(value: T): T => JSON.parse(JSON.stringify(value));

/** Admin-managed trigger rules, kept in order of position. */
@Injectable()
export class AutomationRulesService {
  /** Every enabled rule of a workspace in position order, read on every ticket change. */
  private readonly enabled = new WorkspaceCache<AutomationRuleEntity[]>();

  constructor(
    private readonly clock: Clock,
    private readonly transactions: TransactionRunner,
    private readonly outbox: Outbox,
    private readonly actions: TicketActions,
    private readonly calendars: RuleCalendars,
    private readonly rules: AutomationRulesRepository,
  ) {}

  async list(principal: Principal, page: { limit?: number; cursor?: string }): Promise<Page<AutomationRuleView>> {
    const result = await this.rules.page(this.transactions.manager, principal.workspaceId, BY_POSITION, page);
    return { data: result.data.map(toRuleView), nextCursor: result.nextCursor };
  }

  async get(principal: Principal, id: string): Promise<AutomationRuleView> {
    const rule = await this.rules.find(this.transactions.manager, principal.workspaceId, id);
    if (!rule) throw new ResourceNotFound('automation rule', id);
    return toRuleView(rule);
  }

  /** The enabled rules listening to an event, in the order they run. */
  async enabledFor(manager: EntityManager, workspaceId: string, event: RuleEvent): Promise<AutomationRuleEntity[]> {
    const rules = await this.enabled.get(workspaceId, () => this.rules.enabledInOrder(manager, workspaceId));
    return rules.filter((rule) => rule.events.includes(event));
  }

  async create(principal: Principal, input: CreateAutomationRuleInput): Promise<AutomationRuleView> {
    await this.validate(principal, input.conditions, input.actions, input.events);
    return this.enabled.writing(principal.workspaceId, () => this.transactions.run(async (manager) => {
      await this.rules.positions.lock(manager, principal.workspaceId);
      const position = await this.rules.positions.makeRoom(manager, principal.workspaceId, input.position);
      const now = this.clock.now();
      const rule: AutomationRuleEntity = {
        workspaceId: principal.workspaceId, id: randomUUID(), name: input.name, position,
        enabled: input.enabled ?? true, events: [...new Set(input.events)], conditions: withoutUndefined(input.conditions),
        actions: withoutUndefined(input.actions), createdAt: now, updatedAt: now,
      };
      await this.rules.insert(manager, rule);
      const view = toRuleView(rule);
      await this.outbox.record(manager, principal, [{ type: 'automation_rule.created', subjectType: 'automation_rule', subjectId: rule.id, data: { rule: view } }]);
      return view;
    }));
  }

  async update(principal: Principal, id: string, input: UpdateAutomationRuleInput): Promise<AutomationRuleView> {
    await this.validate(principal, input.conditions ?? {}, input.actions ?? []);
    return this.enabled.writing(principal.workspaceId, () => this.transactions.run(async (manager) => {
      await this.rules.positions.lock(manager, principal.workspaceId);
      const rule = await this.lock(manager, principal, id);
      const position = input.position === undefined ? rule.position : await this.rules.positions.move(manager, principal.workspaceId, id, rule.position, input.position);
      const updated: AutomationRuleEntity = {
        ...rule,
        name: input.name ?? rule.name,
        position,
        enabled: input.enabled ?? rule.enabled,
        events: input.events ? [...new Set(input.events)] : rule.events,
        conditions: input.conditions ? withoutUndefined(input.conditions) : rule.conditions,
        actions: input.actions ? withoutUndefined(input.actions) : rule.actions,
        updatedAt: this.clock.now(),
      };
      // Whether the rule is time- or change-based depends on the events and conditions after the update.
      const shape = ruleShapeErrors(updated.events, updated.conditions, 'conditions');
      if (shape.length > 0) throw new ValidationFailed(shape);
      const { workspaceId: _w, id: _i, createdAt: _c, ...changes } = updated;
      await this.rules.update(manager, principal.workspaceId, id, changes);
      const view = toRuleView(updated);
      await this.outbox.record(manager, principal, [{ type: 'automation_rule.updated', subjectType: 'automation_rule', subjectId: id, data: { rule: view, previous: toRuleView(rule) } }]);
      return view;
    }));
  }

  async delete(principal: Principal, id: string): Promise<void> {
    await this.enabled.writing(principal.workspaceId, () => this.transactions.run(async (manager) => {
      await this.rules.positions.lock(manager, principal.workspaceId);
      const rule = await this.lock(manager, principal, id);
      await this.rules.delete(manager, principal.workspaceId, id);
      await this.rules.positions.closeGap(manager, principal.workspaceId, rule.position);
      await this.outbox.record(manager, principal, [{ type: 'automation_rule.deleted', subjectType: 'automation_rule', subjectId: id, data: { rule: toRuleView(rule) } }]);
    }));
  }

  /**
   * For a tag rename (or removal, `to` null) in the caller's transaction: actions adding or removing the tag get the new
   * name (an action left with no tag is dropped); on a rename, conditions testing the tag test the new name (a removal
   * leaves them: nothing carries the tag any more, and they still answer so). Emits automation_rule.updated per rule.
   */
  async renameTag(manager: EntityManager, principal: Principal, from: string, to: string | null): Promise<number> {
    return this.enabled.writing(principal.workspaceId, async () => {
      const rules = await this.rules.lockAll(manager, principal.workspaceId);
      let changed = 0;
      for (const rule of rules) {
        const actions = renameTagInActions(rule.actions as TicketAction[], from, to);
        const conditions = to === null ? null : renameTagInConditions(rule.conditions as RuleConditions, from, to);
        if (!actions && !conditions) continue;
        const updated: AutomationRuleEntity = { ...rule, actions: actions ? withoutUndefined(actions) : rule.actions, conditions: conditions ?? rule.conditions, updatedAt: this.clock.now() };
        await this.rules.update(manager, principal.workspaceId, rule.id, { actions: updated.actions, conditions: updated.conditions, updatedAt: updated.updatedAt });
        await this.outbox.record(manager, principal, [{ type: 'automation_rule.updated', subjectType: 'automation_rule', subjectId: rule.id, data: { rule: toRuleView(updated), previous: toRuleView(rule) } }]);
        changed++;
      }
      return changed;
    });
  }

  private async validate(principal: Principal, conditions: RuleConditions, actions: TicketAction[], events?: RuleEvent[]): Promise<void> {
    const errors = conditionErrors(conditions, 'conditions');
    // The rule's shape is judged once its conditions are well-formed, so each mistake is reported once.
    if (events && errors.length === 0) errors.push(...ruleShapeErrors(events, conditions, 'conditions'));
    errors.push(...(await this.calendars.missing(principal, conditions, 'conditions')));
    try {
      await this.actions.validate(principal, actions, 'actions', { allowSuggestions: true });
    } catch (error) {
      if (!(error instanceof ValidationFailed)) throw error;
      errors.push(...error.errors);
    }
    if (errors.length > 0) throw new ValidationFailed(errors);
  }

  private async lock(manager: EntityManager, principal: Principal, id: string): Promise<AutomationRuleEntity> {
    const rule = await this.rules.lock(manager, principal.workspaceId, id);
    if (!rule) throw new ResourceNotFound('automation rule', id);
    return rule;
  }
}

/** Conditions on the tags field that name `from` name `to` instead; null when none does. */
function renameTagInConditions(conditions: RuleConditions, from: string, to: string): RuleConditions | null {
  let changed = false;
  const rename = (list: RuleConditions['all']) => list?.map((condition) => {
    if (condition.field !== 'tags' || condition.value?.trim().toLowerCase() !== from) return condition;
    changed = true;
    return { ...condition, value: to };
  });
  const renamed: RuleConditions = { ...conditions, ...(conditions.all ? { all: rename(conditions.all) } : {}), ...(conditions.any ? { any: rename(conditions.any) } : {}) };
  return changed ? renamed : null;
}
