import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Page } from '../common/pagination/cursor';
import { pageByCreation } from '../common/pagination/keyset';
import { AgentEntity } from './entities/agent.entity';

export type AgentChange = Partial<Pick<AgentEntity, 'name' | 'email' | 'role' | 'availability' | 'capacity' | 'deactivatedAt' | 'lockedAt' | 'lockedUntil' | 'updatedAt' | 'passwordHash'>>;

@Injectable()
export class AgentsRepository {
  page(manager: EntityManager, workspaceId: string, page: { limit?: number; cursor?: string }): Promise<Page<AgentEntity>> {
    const query = manager.createQueryBuilder(AgentEntity, 'agent').where('agent.workspace_id = :workspaceId', { workspaceId });
    return pageByCreation(query, 'agent', page);
  }

  /** The agents of these ids, each with whether it has a password (the hash itself never leaves this file). */
  async findWithPasswordFlags(manager: EntityManager, workspaceId: string, ids: readonly string[]): Promise<Array<{ agent: AgentEntity; hasPassword: boolean }>> {
    const { entities, raw } = await manager
      .createQueryBuilder(AgentEntity, 'agent')
      .addSelect('agent.password_hash IS NOT NULL', 'has_password')
      .where('agent.workspace_id = :workspaceId AND agent.id = ANY(:ids)', { workspaceId, ids: [...ids] })
      .getRawAndEntities<{ has_password: boolean }>();
    return entities.map((agent, index) => ({ agent, hasPassword: raw[index].has_password }));
  }

  async insert(manager: EntityManager, agent: AgentEntity): Promise<void> {
    await manager.insert(AgentEntity, agent);
  }

  /** The agent's row, locked for the rest of the transaction; null when absent. */
  lock(manager: EntityManager, workspaceId: string, id: string): Promise<AgentEntity | null> {
    return manager.findOne(AgentEntity, { where: { workspaceId, id }, lock: { mode: 'pessimistic_write' } });
  }

  async update(manager: EntityManager, workspaceId: string, id: string, change: AgentChange): Promise<void> {
    await manager.update(AgentEntity, { workspaceId, id }, change);
  }

  async withPasswords(manager: EntityManager, workspaceId: string, ids: readonly string[]): Promise<Set<string>> {
    const rows: Array<{ id: string }> = await manager.query(
      'SELECT id FROM agents WHERE workspace_id = $1 AND id = ANY($2) AND password_hash IS NOT NULL',
      [workspaceId, ids],
    );
    return new Set(rows.map((row) => row.id));
  }
}
