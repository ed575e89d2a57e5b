import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AssignmentStrategy } from '../teams/entities/team.entity';
import { AssignmentCandidate } from './assignment-strategies';

const OPEN_STATUSES = ['new', 'open', 'pending', 'on_hold'];

/**
 * The strategies' read model and locks. Reads teams, members, agents and tickets directly because a pick must
 * see them inside the ticket's transaction, after its locks, in one round trip each.
 */
@Injectable()
export class AssignmentRepository {
  async strategyOf(manager: EntityManager, workspaceId: string, teamId: string): Promise<AssignmentStrategy | null> {
    const [row] = await manager.query('SELECT assignment_strategy FROM teams WHERE workspace_id = $1 AND id = $2', [workspaceId, teamId]);
    return row ? row.assignment_strategy : null;
  }

  /** Locks the team's rotation row until the ticket's transaction ends: concurrent picks in one team take turns. */
  async lockRotation(manager: EntityManager, workspaceId: string, teamId: string): Promise<string | null> {
    await manager.query('INSERT INTO team_assignment_cursors (workspace_id, team_id) VALUES ($1, $2) ON CONFLICT DO NOTHING', [workspaceId, teamId]);
    const [row] = await manager.query('SELECT last_agent_id FROM team_assignment_cursors WHERE workspace_id = $1 AND team_id = $2 FOR UPDATE', [workspaceId, teamId]);
    return row.last_agent_id;
  }

  /**
   * Online, active members with their open-ticket counts (a deactivated agent keeps its availability but takes no work). Each member's load row is locked first (in id order, so two
   * teams sharing agents cannot deadlock) and the counts are read after the locks, so they include every
   * assignment committed by whoever held them: capacity holds across teams too.
   */
  async lockCandidates(manager: EntityManager, workspaceId: string, teamId: string): Promise<AssignmentCandidate[]> {
    const members: Array<{ agent_id: string }> = await manager.query(
      `SELECT m.agent_id FROM team_members m
         JOIN agents a ON a.workspace_id = m.workspace_id AND a.id = m.agent_id
        WHERE m.workspace_id = $1 AND m.team_id = $2 AND a.availability = 'online' AND a.deactivated_at IS NULL
        ORDER BY m.agent_id`,
      [workspaceId, teamId],
    );
    if (members.length === 0) return [];
    const ids = members.map((member) => member.agent_id);
    await manager.query(
      `INSERT INTO agent_assignment_load (workspace_id, agent_id) SELECT $1, id FROM unnest($2::uuid[]) AS id ORDER BY id ON CONFLICT DO NOTHING`,
      [workspaceId, ids],
    );
    await manager.query('SELECT agent_id FROM agent_assignment_load WHERE workspace_id = $1 AND agent_id = ANY($2) ORDER BY agent_id FOR UPDATE', [workspaceId, ids]);
    const rows: Array<{ id: string; capacity: number | null; last_assigned_at: Date | null; open_tickets: string }> = await manager.query(
      `SELECT a.id, a.capacity, l.last_assigned_at,
              (SELECT count(*) FROM tickets t WHERE t.workspace_id = a.workspace_id AND t.assignee_id = a.id AND t.status = ANY($3)) AS open_tickets
         FROM agents a
         JOIN agent_assignment_load l ON l.workspace_id = a.workspace_id AND l.agent_id = a.id
        WHERE a.workspace_id = $1 AND a.id = ANY($2) AND a.availability = 'online' AND a.deactivated_at IS NULL`,
      [workspaceId, ids, OPEN_STATUSES],
    );
    return rows.map((row) => ({ agentId: row.id, capacity: row.capacity, openTickets: Number(row.open_tickets), lastAssignedAt: row.last_assigned_at }));
  }

  async recordPick(manager: EntityManager, workspaceId: string, teamId: string, agentId: string, at: Date): Promise<void> {
    await manager.query('UPDATE team_assignment_cursors SET last_agent_id = $3, updated_at = $4 WHERE workspace_id = $1 AND team_id = $2', [workspaceId, teamId, agentId, at]);
    await manager.query('UPDATE agent_assignment_load SET last_assigned_at = $3 WHERE workspace_id = $1 AND agent_id = $2', [workspaceId, agentId, at]);
  }
}
