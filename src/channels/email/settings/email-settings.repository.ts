import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';

/** One row per workspace in email_settings; a workspace without one has the defaults. */
@Injectable()
export class EmailSettingsRepository {
  async inboundCcEnabled(manager: EntityManager, workspaceId: string): Promise<boolean | null> {
    const [row] = await manager.query('SELECT inbound_cc_enabled FROM email_settings WHERE workspace_id = $1', [workspaceId]);
    return row ? row.inbound_cc_enabled : null;
  }

  async storeInboundCcEnabled(manager: EntityManager, workspaceId: string, enabled: boolean, now: Date): Promise<void> {
    await manager.query(
      `INSERT INTO email_settings (workspace_id, inbound_cc_enabled, updated_at) VALUES ($1, $2, $3)
       ON CONFLICT (workspace_id) DO UPDATE SET inbound_cc_enabled = EXCLUDED.inbound_cc_enabled, updated_at = EXCLUDED.updated_at`,
      [workspaceId, enabled, now],
    );
  }
}
