import { Injectable, OnModuleInit } from '@nestjs/common';
import { TransactionRunner } from '../../database/transaction-runner';
import { ResealPage, SealedSecretsOwner, SealedSecretsRegistry } from '../../keys/sealed-secrets';
import { ChannelSecrets } from '../mail-secrets';
import { PORTAL_SECRET_PURPOSE } from './portal-auth.service';
import { PortalSettingsRepository } from './portal-settings.repository';

/** Re-seals workspaces' portal token secrets after a key rotation. */
@Injectable()
export class PortalSecretsResealer implements SealedSecretsOwner, OnModuleInit {
  readonly sealedSecrets = 'portal token secrets';

  constructor(
    private readonly registry: SealedSecretsRegistry,
    private readonly transactions: TransactionRunner,
    private readonly settings: PortalSettingsRepository,
    private readonly secrets: ChannelSecrets,
  ) {}

  onModuleInit(): void {
    this.registry.register(this);
  }

  resealPage(after: string | null, limit: number): Promise<ResealPage> {
    return this.transactions.run(async (manager) => {
      const rows = await this.settings.sealedSecretsPage(manager, after, limit);
      let resealed = 0;
      for (const row of rows) {
        const sealed = this.secrets.reseal(row.workspaceId, PORTAL_SECRET_PURPOSE, row.workspaceId, row.sealed);
        if (sealed === null) continue;
        await this.settings.replaceSealedSecret(manager, row.workspaceId, row.sealed, sealed);
        resealed += 1;
      }
      return { resealed, next: rows.length === limit ? rows[rows.length - 1].workspaceId : null };
    });
  }
}
