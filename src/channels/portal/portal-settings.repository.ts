import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';

export interface PortalSettingsRow {
  secretSealed: string | null;
  updatedAt: Date;
}

/** One row per workspace in portal_settings (created by the channels migration). */
@Injectable()
export class PortalSettingsRepository {
  async find(manager: EntityManager, workspaceId: string): Promise<PortalSettingsRow | null> {
    const [row] = await manager.query('SELECT jwt_secret_sealed, updated_at FROM portal_settings WHERE workspace_id = $1', [workspaceId]);
    return row ? { secretSealed: row.jwt_secret_sealed, updatedAt: row.updated_at } : null;
  }

  async storeSecret(manager: EntityManager, workspaceId: string, secretSealed: string | null, now: Date): Promise<void> {
    await manager.query(
      `INSERT INTO portal_settings (workspace_id, jwt_secret_sealed, updated_at) VALUES ($1, $2, $3)
       ON CONFLICT (workspace_id) DO UPDATE SET jwt_secret_sealed = EXCLUDED.jwt_secret_sealed, updated_at = EXCLUDED.updated_at`,
      [workspaceId, secretSealed, now],
    );
  }

  /** Workspaces after `after` with their sealed portal secret, for re-sealing. */
  sealedSecretsPage(manager: EntityManager, after: string | null, limit: number): Promise<Array<{ workspaceId: string; sealed: string }>> {
    return manager.query(
      `SELECT workspace_id AS "workspaceId", jwt_secret_sealed AS sealed FROM portal_settings
        WHERE jwt_secret_sealed IS NOT NULL AND ($1::uuid IS NULL OR workspace_id > $1::uuid) ORDER BY workspace_id LIMIT $2`,
      [after, limit],
    );
  }

  /** Replaces the sealed secret only if it is still the one read: a rotation through the API meanwhile stays. */
  async replaceSealedSecret(manager: EntityManager, workspaceId: string, was: string, sealed: string): Promise<void> {
    await manager.query('UPDATE portal_settings SET jwt_secret_sealed = $3 WHERE workspace_id = $1 AND jwt_secret_sealed = $2', [workspaceId, was, sealed]);
  }
}
