import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
/**
 * Assignment's own rows: each team's rotation cursor and each agent's load row. Both are locked inside the ticket's
 * transaction, so concurrent picks take turns; teams, agents and tickets are read through their owners.
 */
@Injectable()
export class AssignmentRepository {
  /** Locks the team's rotation row until the ticket's transaction ends: concurrent picks in one team take turns. */
  async lockRotation(manager: EntityManager, workspaceId: string, teamId: string): Promise<string | null> {
    await manager.query('INSERT INTO team_assignment_cursors (workspace_id, team_id) VALUES ($1, $2) ON CONFLICT DO NOTHING', [workspaceId, teamId]);
    const [row]: Array<{ last_agent_id: string | null }> = await manager.query('SELECT last_agent_id FROM team_assignment_cursors WHERE workspace_id = $1 AND team_id = $2 FOR UPDATE', [workspaceId, teamId]);
    return row.last_agent_id;
  }

  /**
   * Locks each agent's load row (in id order, so two teams sharing agents cannot deadlock) and returns when each was
   * last picked. Whatever is read after this includes every assignment committed by whoever held the locks.
   */
  async lockLoads(manager: EntityManager, workspaceId: string, agentIds: readonly string[]): Promise<Map<string, Date | null>> {
    const ids = [...agentIds].sort();
    await manager.query(
      `INSERT INTO agent_assignment_load (workspace_id, agent_id) SELECT $1, id FROM unnest($2::uuid[]) AS id ORDER BY id ON CONFLICT DO NOTHING`,
      [workspaceId, ids],
    );
    const rows: Array<{ agent_id: string; last_assigned_at: Date | null }> = await manager.query(
      'SELECT agent_id, last_assigned_at FROM agent_assignment_load WHERE workspace_id = $1 AND agent_id = ANY($2) ORDER BY agent_id FOR UPDATE',
      [workspaceId, ids],
    );
    return new Map(rows.map((row) => [row.agent_id, row.last_assigned_at]));
  }

  async recordPick(manager: EntityManager, workspaceId: string, teamId: string, agentId: string, at: Date): Promise<void> {
    await manager.query('UPDATE team_assignment_cursors SET last_agent_id = $3, updated_at = $4 WHERE workspace_id = $1 AND team_id = $2', [workspaceId, teamId, agentId, at]);
    await manager.query('UPDATE agent_assignment_load SET last_assigned_at = $3 WHERE workspace_id = $1 AND agent_id = $2', [workspaceId, agentId, at]);
  }
}
