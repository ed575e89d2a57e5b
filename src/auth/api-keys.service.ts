import { Injectable } from '@nestjs/common';
import { Clock } from '../common/clock';
import { randomUUID } from 'node:crypto';
import { EntityManager, IsNull } from 'typeorm';
import { Forbidden, ResourceNotFound, ValidationFailed } from '../common/errors/domain-errors';
import { TransactionRunner } from '../database/transaction-runner';
import { CreateApiKeyInput, ApiKeyView, CreatedApiKeyView } from './dto/api-key.dto';
import { ApiKeyEntity } from './entities/api-key.entity';
import { hashToken, newApiKey } from './secrets';
import { PLATFORM_SCOPE, Principal } from './principal';

function toView(key: ApiKeyEntity): ApiKeyView {
  return { id: key.id, name: key.name, role: key.role, scopes: key.scopes, agentId: key.agentId, prefix: key.keyPrefix, createdAt: key.createdAt, lastUsedAt: key.lastUsedAt };
}

// Recording every use would turn each authenticated read into a write; once a minute is enough to tell stale keys apart.
const LAST_USED_RESOLUTION_MS = 60_000;

@Injectable()
export class ApiKeysService {
  constructor(private readonly clock: Clock, private readonly transactions: TransactionRunner) {}

  async list(principal: Principal): Promise<ApiKeyView[]> {
    const keys = await this.transactions.manager.find(ApiKeyEntity, {
      where: { workspaceId: principal.workspaceId, revokedAt: IsNull() },
      order: { createdAt: 'ASC', id: 'ASC' },
    });
    return keys.map(toView);
  }

  async create(principal: Principal, input: CreateApiKeyInput): Promise<CreatedApiKeyView> {
    const scopes = [...new Set(input.scopes ?? [])];
    if (scopes.includes(PLATFORM_SCOPE) && !principal.scopes.includes(PLATFORM_SCOPE)) {
      throw new Forbidden('Only a key with the platform scope may grant the platform scope.');
    }
    return this.transactions.run(async (manager) => {
      if (input.agentId) {
        const [agent] = await manager.query('SELECT 1 FROM agents WHERE workspace_id = $1 AND id = $2', [principal.workspaceId, input.agentId]);
        if (!agent) throw ValidationFailed.field('agentId', `no agent with id ${input.agentId} exists in this workspace`);
      }
      const { entity, key } = await this.insert(manager, principal.workspaceId, { name: input.name, role: input.role, scopes, agentId: input.agentId ?? null });
      return { ...toView(entity), key };
    });
  }

  /** Used by workspace creation and first-boot bootstrap, inside their own transaction. */
  async insert(
    manager: EntityManager,
    workspaceId: string,
    spec: { name: string; role: ApiKeyEntity['role']; scopes: string[]; agentId: string | null },
    presetKey?: string,
  ): Promise<{ entity: ApiKeyEntity; key: string }> {
    const key = presetKey ?? newApiKey();
    const entity = manager.create(ApiKeyEntity, {
      workspaceId,
      id: randomUUID(),
      ...spec,
      keyHash: hashToken(key),
      keyPrefix: key.slice(0, 10),
      createdAt: this.clock.now(),
      lastUsedAt: null,
      revokedAt: null,
    });
    await manager.insert(ApiKeyEntity, entity);
    return { entity, key };
  }

  async revoke(principal: Principal, id: string): Promise<void> {
    const result = await this.transactions.manager.update(
      ApiKeyEntity,
      { workspaceId: principal.workspaceId, id, revokedAt: IsNull() },
      { revokedAt: this.clock.now() },
    );
    if (!result.affected) throw new ResourceNotFound('API key', id);
  }

  /** A key bound to an agent stops working while that agent is deactivated. */
  async authenticate(presentedKey: string): Promise<Principal | null> {
    const rows: Array<ApiKeyEntity & { agentName: string | null }> = await this.transactions.manager.query(
      `SELECT k.workspace_id AS "workspaceId", k.id, k.name, k.role, k.scopes, k.agent_id AS "agentId",
              k.last_used_at AS "lastUsedAt", a.name AS "agentName"
         FROM api_keys k LEFT JOIN agents a ON a.workspace_id = k.workspace_id AND a.id = k.agent_id
        WHERE k.key_hash = $1 AND k.revoked_at IS NULL AND a.deactivated_at IS NULL`,
      [hashToken(presentedKey)],
    );
    const key = rows[0];
    if (!key) return null;
    if (!key.lastUsedAt || Date.now() - new Date(key.lastUsedAt).getTime() > LAST_USED_RESOLUTION_MS) {
      void this.transactions.manager
        .query('UPDATE api_keys SET last_used_at = now() WHERE workspace_id = $1 AND id = $2', [key.workspaceId, key.id])
        .catch(() => undefined);
    }
    return {
      workspaceId: key.workspaceId,
      role: key.role,
      scopes: key.scopes,
      actor: key.agentId ? { type: 'agent', id: key.agentId, name: key.agentName ?? key.name } : { type: 'api_key', id: key.id, name: key.name },
      agentId: key.agentId,
    };
  }
}
