import { Injectable } from '@nestjs/common';
import { Brackets, EntityManager } from 'typeorm';
import { Page } from '../common/pagination/cursor';
import { pageByCreation } from '../common/pagination/keyset';
import { MacroEntity } from './entities/macro.entity';

export type MacroChange = Partial<Pick<MacroEntity, 'name' | 'visibility' | 'teamId' | 'agentId' | 'actions' | 'updatedAt'>>;

/** Whose macros a reader sees besides the workspace's: its own and its teams'. Absent: every macro (an admin). */
export interface MacroReader {
  agentId: string | null;
  teamIds: string[];
}

@Injectable()
export class MacrosRepository {
  page(manager: EntityManager, workspaceId: string, reader: MacroReader | null, page: { limit?: number; cursor?: string }): Promise<Page<MacroEntity>> {
    const query = manager.createQueryBuilder(MacroEntity, 'macro').where('macro.workspace_id = :workspaceId', { workspaceId });
    if (reader) {
      query.andWhere(new Brackets((visible) => visible
        .where(`macro.visibility = 'workspace'`)
        .orWhere('macro.agent_id = :agentId')
        .orWhere('macro.team_id = ANY(:teamIds)')), { agentId: reader.agentId, teamIds: reader.teamIds });
    }
    return pageByCreation(query, 'macro', page);
  }

  find(manager: EntityManager, workspaceId: string, id: string): Promise<MacroEntity | null> {
    return manager.findOne(MacroEntity, { where: { workspaceId, id } });
  }

  /** The macro's row, locked for the rest of the transaction; null when absent. */
  lock(manager: EntityManager, workspaceId: string, id: string): Promise<MacroEntity | null> {
    return manager.findOne(MacroEntity, { where: { workspaceId, id }, lock: { mode: 'pessimistic_write' } });
  }

  /** Every macro of the workspace, locked, for a change that looks at each (a tag rename): a workspace has few. */
  lockAll(manager: EntityManager, workspaceId: string): Promise<MacroEntity[]> {
    return manager.find(MacroEntity, { where: { workspaceId }, order: { id: 'ASC' }, lock: { mode: 'pessimistic_write' } });
  }

  async insert(manager: EntityManager, macro: MacroEntity): Promise<void> {
    await manager.insert(MacroEntity, macro);
  }

  async update(manager: EntityManager, workspaceId: string, id: string, change: MacroChange): Promise<void> {
    await manager.update(MacroEntity, { workspaceId, id }, change);
  }

  async delete(manager: EntityManager, workspaceId: string, id: string): Promise<void> {
    await manager.delete(MacroEntity, { workspaceId, id });
  }
}
