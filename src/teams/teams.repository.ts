import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Page } from '../common/pagination/cursor';
import { pageByCreation } from '../common/pagination/keyset';
import { TeamMemberEntity } from './entities/team-member.entity';
import { TeamEntity } from './entities/team.entity';

export type TeamChange = Partial<Pick<TeamEntity, 'name' | 'assignmentStrategy' | 'updatedAt'>>;

@Injectable()
export class TeamsRepository {
  page(manager: EntityManager, workspaceId: string, page: { limit?: number; cursor?: string }): Promise<Page<TeamEntity>> {
    const query = manager.createQueryBuilder(TeamEntity, 'team').where('team.workspace_id = :workspaceId', { workspaceId });
    return pageByCreation(query, 'team', page);
  }

  find(manager: EntityManager, workspaceId: string, id: string): Promise<TeamEntity | null> {
    return manager.findOne(TeamEntity, { where: { workspaceId, id } });
  }

  findByIds(manager: EntityManager, workspaceId: string, ids: readonly string[]): Promise<TeamEntity[]> {
    return manager
      .createQueryBuilder(TeamEntity, 'team')
      .where('team.workspace_id = :workspaceId AND team.id = ANY(:ids)', { workspaceId, ids: [...ids] })
      .getMany();
  }

  exists(manager: EntityManager, workspaceId: string, id: string): Promise<boolean> {
    return manager.exists(TeamEntity, { where: { workspaceId, id } });
  }

  /** Locking the team row serialises every change to its name and member set. */
  lock(manager: EntityManager, workspaceId: string, id: string): Promise<TeamEntity | null> {
    return manager.findOne(TeamEntity, { where: { workspaceId, id }, lock: { mode: 'pessimistic_write' } });
  }

  async insert(manager: EntityManager, team: TeamEntity): Promise<void> {
    await manager.insert(TeamEntity, team);
  }

  async update(manager: EntityManager, workspaceId: string, id: string, change: TeamChange): Promise<void> {
    await manager.update(TeamEntity, { workspaceId, id }, change);
  }

  async delete(manager: EntityManager, workspaceId: string, id: string): Promise<void> {
    await manager.delete(TeamEntity, { workspaceId, id });
  }

  membershipsOf(manager: EntityManager, workspaceId: string, teamIds: readonly string[]): Promise<TeamMemberEntity[]> {
    return manager
      .createQueryBuilder(TeamMemberEntity, 'member')
      .where('member.workspace_id = :workspaceId AND member.team_id = ANY(:teamIds)', { workspaceId, teamIds: [...teamIds] })
      .getMany();
  }

  /** Adding a member twice changes nothing. */
  async addMembers(manager: EntityManager, workspaceId: string, teamId: string, agentIds: readonly string[], addedAt: Date): Promise<void> {
    if (agentIds.length === 0) return;
    await manager
      .createQueryBuilder()
      .insert()
      .into(TeamMemberEntity)
      .values(agentIds.map((agentId) => ({ workspaceId, teamId, agentId, addedAt })))
      .orIgnore()
      .execute();
  }

  async removeMembers(manager: EntityManager, workspaceId: string, teamId: string, agentIds: readonly string[]): Promise<void> {
    if (agentIds.length === 0) return;
    await manager
      .createQueryBuilder()
      .delete()
      .from(TeamMemberEntity)
      .where('workspace_id = :workspaceId AND team_id = :teamId AND agent_id = ANY(:removed)', { workspaceId, teamId, removed: [...agentIds] })
      .execute();
  }

  /** The teams this agent belongs to. */
  async teamIdsOfAgent(manager: EntityManager, workspaceId: string, agentId: string): Promise<string[]> {
    const rows: Array<{ team_id: string }> = await manager.query('SELECT team_id FROM team_members WHERE workspace_id = $1 AND agent_id = $2', [workspaceId, agentId]);
    return rows.map((row) => row.team_id);
  }

  async isMember(manager: EntityManager, workspaceId: string, teamId: string, agentId: string): Promise<boolean> {
    const [member]: unknown[] = await manager.query('SELECT 1 FROM team_members WHERE workspace_id = $1 AND team_id = $2 AND agent_id = $3', [workspaceId, teamId, agentId]);
    return Boolean(member);
  }
}
