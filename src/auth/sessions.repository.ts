import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { SessionEndReason } from './entities/session.entity';
import { Role } from './principal';
import { RefreshTokenEntity } from './entities/refresh-token.entity';

export interface SessionAgent {
  id: string;
  name: string;
  role: Role;
}

export interface RefreshableToken {
  workspaceId: string;
  id: string;
  agentId: string;
  sessionId: string;
  expired: boolean;
  used: boolean;
  /** The session was revoked, or its agent deactivated. */
  ended: boolean;
  role: Role;
}

@Injectable()
export class SessionsRepository {
  async insertRefreshToken(manager: EntityManager, token: RefreshTokenEntity): Promise<void> {
    await manager.insert(RefreshTokenEntity, token);
  }

  async create(manager: EntityManager, workspaceId: string, sessionId: string, agentId: string): Promise<void> {
    await manager.query('INSERT INTO sessions (workspace_id, id, agent_id, created_at) VALUES ($1, $2, $3, now())', [workspaceId, sessionId, agentId]);
  }

  /**
   * Asked on every request with an access token: one primary-key probe of sessions joined to the agent by its key,
   * the same single round trip the agent lookup alone used to cost, so no cache is needed and revocation is instant.
   */
  async findLiveAgent(manager: EntityManager, workspaceId: string, sessionId: string, agentId: string): Promise<SessionAgent | null> {
    const [agent] = await manager.query(
      `SELECT a.id, a.name, a.role
         FROM sessions s JOIN agents a ON a.workspace_id = s.workspace_id AND a.id = s.agent_id
        WHERE s.workspace_id = $1 AND s.id = $2 AND s.agent_id = $3 AND s.revoked_at IS NULL AND a.deactivated_at IS NULL`,
      [workspaceId, sessionId, agentId],
    );
    return agent ?? null;
  }

  /** Locks the token row, so two refreshes with one token cannot both rotate it. */
  async findRefreshable(manager: EntityManager, tokenHash: string): Promise<RefreshableToken | null> {
    const [token] = await manager.query(
      `SELECT t.workspace_id AS "workspaceId", t.id, t.agent_id AS "agentId", t.family_id AS "sessionId",
              t.expires_at <= now() AS expired, t.used_at IS NOT NULL AS used,
              (s.revoked_at IS NOT NULL OR a.deactivated_at IS NOT NULL) AS ended, a.role
         FROM refresh_tokens t
         JOIN sessions s ON s.workspace_id = t.workspace_id AND s.id = t.family_id
         JOIN agents a ON a.workspace_id = t.workspace_id AND a.id = t.agent_id
        WHERE t.token_hash = $1
          FOR UPDATE OF t`,
      [tokenHash],
    );
    return token ?? null;
  }

  async markUsed(manager: EntityManager, workspaceId: string, tokenId: string): Promise<void> {
    await manager.query('UPDATE refresh_tokens SET used_at = now() WHERE workspace_id = $1 AND id = $2', [workspaceId, tokenId]);
  }

  async findSessionOfToken(manager: EntityManager, tokenHash: string): Promise<{ workspaceId: string; sessionId: string } | null> {
    const [row] = await manager.query('SELECT workspace_id AS "workspaceId", family_id AS "sessionId" FROM refresh_tokens WHERE token_hash = $1', [tokenHash]);
    return row ?? null;
  }

  async revoke(manager: EntityManager, workspaceId: string, sessionId: string, reason: SessionEndReason): Promise<void> {
    await manager.query(
      'UPDATE sessions SET revoked_at = now(), revoked_reason = $3 WHERE workspace_id = $1 AND id = $2 AND revoked_at IS NULL',
      [workspaceId, sessionId, reason],
    );
  }

  async revokeAllOfAgent(manager: EntityManager, workspaceId: string, agentId: string, reason: SessionEndReason): Promise<number> {
    const [, affected] = await manager.query(
      'UPDATE sessions SET revoked_at = now(), revoked_reason = $3 WHERE workspace_id = $1 AND agent_id = $2 AND revoked_at IS NULL',
      [workspaceId, agentId, reason],
    );
    return affected ?? 0;
  }
}
