import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { SavedViewEntity } from './entities/saved-view.entity';

export type ViewChange = Partial<Pick<SavedViewEntity, 'name' | 'filter' | 'sort' | 'visibility' | 'agentId' | 'position' | 'updatedAt'>>;

@Injectable()
export class ViewsRepository {
  /** Shared views and the agent's personal ones (none for a caller without an agent), by position. */
  visible(manager: EntityManager, workspaceId: string, agentId: string | null): Promise<SavedViewEntity[]> {
    return manager.createQueryBuilder(SavedViewEntity, 'view')
      .where('view.workspace_id = :workspaceId', { workspaceId })
      .andWhere(agentId ? `(view.agent_id IS NULL OR view.agent_id = :agentId)` : 'view.agent_id IS NULL', { agentId })
      .orderBy('view.position', 'ASC').addOrderBy('view.created_at', 'ASC').addOrderBy('view.id', 'ASC')
      .getMany();
  }

  find(manager: EntityManager, workspaceId: string, id: string): Promise<SavedViewEntity | null> {
    return manager.findOne(SavedViewEntity, { where: { workspaceId, id } });
  }

  lock(manager: EntityManager, workspaceId: string, id: string): Promise<SavedViewEntity | null> {
    return manager.findOne(SavedViewEntity, { where: { workspaceId, id }, lock: { mode: 'pessimistic_write' } });
  }

  /** Takes the lock on one owner's list (the shared views, or an agent's) so the count and the next position hold. */
  async lockList(manager: EntityManager, workspaceId: string, agentId: string | null): Promise<void> {
    await manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`saved_views:${workspaceId}:${agentId ?? 'shared'}`]);
  }

  /** How many views the list holds, and the position after its last. */
  async listSize(manager: EntityManager, workspaceId: string, agentId: string | null): Promise<{ count: number; nextPosition: number }> {
    const [row] = await manager.query(
      'SELECT count(*)::int AS count, COALESCE(max(position) + 1, 0)::int AS next FROM saved_views WHERE workspace_id = $1 AND agent_id IS NOT DISTINCT FROM $2',
      [workspaceId, agentId],
    );
    return { count: row.count, nextPosition: row.next };
  }

  /** Every view of the workspace whose filter names the tag (in `tag` or anywhere in `q`), locked, for a tag rename. */
  lockUsingTag(manager: EntityManager, workspaceId: string, tag: string): Promise<SavedViewEntity[]> {
    return manager.createQueryBuilder(SavedViewEntity, 'view')
      .where('view.workspace_id = :workspaceId', { workspaceId })
      .andWhere(`(lower(view.filter->>'tag') = :tag OR strpos(lower(view.filter->>'q'), :tag) > 0)`, { tag })
      .setLock('pessimistic_write')
      .getMany();
  }

  async insert(manager: EntityManager, view: SavedViewEntity): Promise<void> {
    await manager.insert(SavedViewEntity, view);
  }

  async update(manager: EntityManager, workspaceId: string, id: string, change: ViewChange): Promise<void> {
    await manager.update(SavedViewEntity, { workspaceId, id }, change);
  }

  async delete(manager: EntityManager, workspaceId: string, id: string): Promise<void> {
    await manager.delete(SavedViewEntity, { workspaceId, id });
  }
}
