import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { OrderedList } from '../../common/ordering/ordered-list';
import { Page } from '../../common/pagination/cursor';
import { keysetPage } from '../../common/pagination/keyset';
import { SlaPolicyEntity } from './entities/sla-policy.entity';

export type SlaPolicyChange = Partial<Omit<SlaPolicyEntity, 'workspaceId' | 'id' | 'createdAt'>>;

@Injectable()
export class SlaPoliciesRepository {
  /** Policies are tried in order of position; the list keeps positions 0..n-1 (see OrderedList). */
  readonly positions = new OrderedList('sla_policies');

  /** In position order; `sort` names the order in the page's cursors. */
  page(manager: EntityManager, workspaceId: string, sort: string, page: { limit?: number; cursor?: string }): Promise<Page<SlaPolicyEntity>> {
    const query = manager.createQueryBuilder(SlaPolicyEntity, 'policy').where('policy.workspace_id = :workspaceId', { workspaceId });
    return keysetPage(query, {
      sort, column: 'policy.position', idColumn: 'policy.id', direction: 'ASC', valueKind: 'integer', limit: page.limit ?? 25, cursor: page.cursor,
      sortValueOf: (policy) => (policy as SlaPolicyEntity).position,
    });
  }

  find(manager: EntityManager, workspaceId: string, id: string): Promise<SlaPolicyEntity | null> {
    return manager.findOne(SlaPolicyEntity, { where: { workspaceId, id } });
  }

  /** The policy's row, locked for the rest of the transaction; null when absent. */
  lock(manager: EntityManager, workspaceId: string, id: string): Promise<SlaPolicyEntity | null> {
    return manager.findOne(SlaPolicyEntity, { where: { workspaceId, id }, lock: { mode: 'pessimistic_write' } });
  }

  async insert(manager: EntityManager, policy: SlaPolicyEntity): Promise<void> {
    await manager.insert(SlaPolicyEntity, policy);
  }

  async update(manager: EntityManager, workspaceId: string, id: string, change: SlaPolicyChange): Promise<void> {
    await manager.update(SlaPolicyEntity, { workspaceId, id }, change);
  }

  async delete(manager: EntityManager, workspaceId: string, id: string): Promise<void> {
    await manager.delete(SlaPolicyEntity, { workspaceId, id });
  }

  /** A workspace's policies in the order they are tried: lowest position first, id breaking ties. */
  ordered(manager: EntityManager, workspaceId: string): Promise<SlaPolicyEntity[]> {
    return manager.find(SlaPolicyEntity, { where: { workspaceId }, order: { position: 'ASC', id: 'ASC' } });
  }
}
