import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { OrderedList } from '../common/ordering/ordered-list';
import { Page } from '../common/pagination/cursor';
import { keysetPage } from '../common/pagination/keyset';
import { AutomationRuleEntity } from './entities/automation-rule.entity';

export type AutomationRuleChange = Partial<Omit<AutomationRuleEntity, 'workspaceId' | 'id' | 'createdAt'>>;

@Injectable()
export class AutomationRulesRepository {
  /** Rules run in order of position; the list keeps positions 0..n-1 (see OrderedList). */
  readonly positions = new OrderedList('automation_rules');

  /** In position order; `sort` names the order in the page's cursors. */
  page(manager: EntityManager, workspaceId: string, sort: string, page: { limit?: number; cursor?: string }): Promise<Page<AutomationRuleEntity>> {
    const query = manager.createQueryBuilder(AutomationRuleEntity, 'rule').where('rule.workspace_id = :workspaceId', { workspaceId });
    return keysetPage(query, {
      sort, column: 'rule.position', idColumn: 'rule.id', direction: 'ASC', valueKind: 'integer', limit: page.limit ?? 25, cursor: page.cursor,
      sortValueOf: (rule) => (rule as AutomationRuleEntity).position,
    });
  }

  find(manager: EntityManager, workspaceId: string, id: string): Promise<AutomationRuleEntity | null> {
    return manager.findOne(AutomationRuleEntity, { where: { workspaceId, id } });
  }

  /** Every enabled rule of the workspace, in the order they run. */
  enabledInOrder(manager: EntityManager, workspaceId: string): Promise<AutomationRuleEntity[]> {
    return manager
      .createQueryBuilder(AutomationRuleEntity, 'rule')
      .where('rule.workspace_id = :workspaceId AND rule.enabled', { workspaceId })
      .orderBy('rule.position', 'ASC')
      .addOrderBy('rule.id', 'ASC')
      .getMany();
  }

  /** The rule's row, locked for the rest of the transaction; null when absent. */
  lock(manager: EntityManager, workspaceId: string, id: string): Promise<AutomationRuleEntity | null> {
    return manager.findOne(AutomationRuleEntity, { where: { workspaceId, id }, lock: { mode: 'pessimistic_write' } });
  }

  /** Every rule of the workspace, locked, for a change that looks at each (a tag rename): a workspace has few. */
  lockAll(manager: EntityManager, workspaceId: string): Promise<AutomationRuleEntity[]> {
    return manager.find(AutomationRuleEntity, { where: { workspaceId }, order: { id: 'ASC' }, lock: { mode: 'pessimistic_write' } });
  }

  async insert(manager: EntityManager, rule: AutomationRuleEntity): Promise<void> {
    await manager.insert(AutomationRuleEntity, rule);
  }

  async update(manager: EntityManager, workspaceId: string, id: string, change: AutomationRuleChange): Promise<void> {
    await manager.update(AutomationRuleEntity, { workspaceId, id }, change);
  }

  async delete(manager: EntityManager, workspaceId: string, id: string): Promise<void> {
    await manager.delete(AutomationRuleEntity, { workspaceId, id });
  }
}
