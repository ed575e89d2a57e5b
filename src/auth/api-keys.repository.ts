import { Injectable } from '@nestjs/common';
import { EntityManager, IsNull } from 'typeorm';
import { ApiKeyEntity } from './entities/api-key.entity';

/** A live key as authentication reads it, with the name of the agent it acts for (null for a workspace key). */
export type PresentedKey = Pick<ApiKeyEntity, 'workspaceId' | 'id' | 'name' | 'role' | 'scopes' | 'agentId' | 'lastUsedAt'> & { agentName: string | null };

@Injectable()
export class ApiKeysRepository {
  /** The workspace's unrevoked keys, oldest first. */
  listLive(manager: EntityManager, workspaceId: string): Promise<ApiKeyEntity[]> {
    return manager.find(ApiKeyEntity, { where: { workspaceId, revokedAt: IsNull() }, order: { createdAt: 'ASC', id: 'ASC' } });
  }

  async insert(manager: EntityManager, key: ApiKeyEntity): Promise<void> {
    await manager.insert(ApiKeyEntity, key);
  }

  /** Whether a live key was revoked. */
  async revoke(manager: EntityManager, workspaceId: string, id: string, at: Date): Promise<boolean> {
    const result = await manager.update(ApiKeyEntity, { workspaceId, id, revokedAt: IsNull() }, { revokedAt: at });
    return Boolean(result.affected);
  }

  /**
   * The live key with this hash; a key bound to an agent is not live while that agent is deactivated. Joins the agent
   * in the same round trip because it runs on every request with an API key.
   */
  async findPresented(manager: EntityManager, keyHash: string): Promise<PresentedKey | null> {
    const rows: PresentedKey[] = await manager.query(
      `SELECT k.workspace_id AS "workspaceId", k.id, k.name, k.role, k.scopes, k.agent_id AS "agentId",
              k.last_used_at AS "lastUsedAt", a.name AS "agentName"
         FROM api_keys k LEFT JOIN agents a ON a.workspace_id = k.workspace_id AND a.id = k.agent_id
        WHERE k.key_hash = $1 AND k.revoked_at IS NULL AND a.deactivated_at IS NULL`,
      [keyHash],
    );
    return rows[0] ?? null;
  }

  async touchLastUsed(manager: EntityManager, workspaceId: string, id: string): Promise<void> {
    await manager.query('UPDATE api_keys SET last_used_at = now() WHERE workspace_id = $1 AND id = $2', [workspaceId, id]);
  }
}
