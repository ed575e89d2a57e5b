import { Injectable } from '@nestjs/common';
import { Clock } from '../common/clock';
import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { Forbidden, ResourceNotFound, ValidationFailed } from '../common/errors/domain-errors';
import { foreignKeyViolation } from '../common/errors/postgres-errors';
import { TransactionRunner } from '../database/transaction-runner';
import { ApiKeysRepository } from './api-keys.repository';
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
  constructor(private readonly clock: Clock, private readonly transactions: TransactionRunner, private readonly keys: ApiKeysRepository) {}

  async list(principal: Principal): Promise<ApiKeyView[]> {
    const keys = await this.keys.listLive(this.transactions.manager, principal.workspaceId);
    return keys.map(toView);
  }

  async create(principal: Principal, input: CreateApiKeyInput): Promise<CreatedApiKeyView> {
    const scopes = [...new Set(input.scopes ?? [])];
    if (scopes.includes(PLATFORM_SCOPE) && !principal.scopes.includes(PLATFORM_SCOPE)) {
      throw new Forbidden('Only a key with the platform scope may grant the platform scope.');
    }
    try {
      return await this.transactions.run(async (manager) => {
        const { entity, key } = await this.insert(manager, principal.workspaceId, { name: input.name, role: input.role, scopes, agentId: input.agentId ?? null });
        return { ...toView(entity), key };
      });
    } catch (error) {
      // The key's foreign key to its agent answers whether the agent exists in this workspace (agents own that table).
      if (input.agentId && foreignKeyViolation(error)) throw ValidationFailed.field('agentId', `no agent with id ${input.agentId} exists in this workspace`);
      throw error;
    }
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
    await this.keys.insert(manager, entity);
    return { entity, key };
  }

  async revoke(principal: Principal, id: string): Promise<void> {
    const revoked = await this.keys.revoke(this.transactions.manager, principal.workspaceId, id, this.clock.now());
    if (!revoked) throw new ResourceNotFound('API key', id);
  }

  /** A key bound to an agent stops working while that agent is deactivated. */
  async authenticate(presentedKey: string): Promise<Principal | null> {
    const key = await this.keys.findPresented(this.transactions.manager, hashToken(presentedKey));
    if (!key) return null;
    if (!key.lastUsedAt || Date.now() - new Date(key.lastUsedAt).getTime() > LAST_USED_RESOLUTION_MS) {
      void this.keys.touchLastUsed(this.transactions.manager, key.workspaceId, key.id).catch(() => undefined);
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
