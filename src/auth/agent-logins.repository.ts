import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Role } from './principal';

export interface LoginAccount {
  workspaceId: string;
  id: string;
  role: Role;
  passwordHash: string | null;
  /** Deactivated, or locked by failed logins: the right password does not let this agent in. */
  barred: boolean;
}

/** The agent columns logging in depends on: the password, deactivation and the lock set by failed logins. */
@Injectable()
export class AgentLoginsRepository {
  async findForLogin(manager: EntityManager, workspaceSlug: string, email: string): Promise<LoginAccount | null> {
    const [row] = await manager.query(
      `SELECT a.workspace_id AS "workspaceId", a.id, a.role, a.password_hash AS "passwordHash",
              (a.deactivated_at IS NOT NULL OR (a.locked_at IS NOT NULL AND (a.locked_until IS NULL OR a.locked_until > now()))) AS barred
         FROM agents a JOIN workspaces w ON w.id = a.workspace_id
        WHERE w.slug = $1 AND a.email = $2`,
      [workspaceSlug, email],
    );
    return row ?? null;
  }

  /** Locks the agent unless a lock already holds; lockSeconds 0 locks until an admin unlocks. Says whether it locked. */
  async lock(manager: EntityManager, workspaceId: string, agentId: string, lockSeconds: number): Promise<boolean> {
    const [, affected] = await manager.query(
      `UPDATE agents SET locked_at = now(), locked_until = CASE WHEN $3::int = 0 THEN NULL ELSE now() + make_interval(secs => $3::int) END
        WHERE workspace_id = $1 AND id = $2 AND NOT (locked_at IS NOT NULL AND (locked_until IS NULL OR locked_until > now()))`,
      [workspaceId, agentId, lockSeconds],
    );
    return (affected ?? 0) > 0;
  }
}
